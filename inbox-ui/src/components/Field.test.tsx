import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Field, SelectField, TextField } from './Field';

const noop = () => {};

describe('form fields', () => {
  it('labels a control with the text above it', () => {
    expect(renderToString(<Field label="Notes">{<textarea rows={3} />}</Field>)).toBe(
      '<label class="field"><span>Notes</span><textarea rows="3"></textarea></label>',
    );
  });

  it('passes input attributes through and marks a growing field', () => {
    const html = renderToString(
      <TextField
        label="Email"
        grow
        required
        type="email"
        dir="ltr"
        value="a@b.co"
        onValue={noop}
      />,
    );
    expect(html).toBe(
      '<label class="field field--grow"><span>Email</span>' +
        '<input required="" type="email" dir="ltr" value="a@b.co"/></label>',
    );
  });

  it('offers exactly the given options with the current one selected', () => {
    const html = renderToString(
      <SelectField
        label="Team"
        value="t2"
        options={[
          { value: '', label: 'No team' },
          { value: 't1', label: 'Billing' },
          { value: 't2', label: 'Support' },
        ]}
        onValue={noop}
      />,
    );
    expect(html).toContain('<span>Team</span><select>');
    expect(html).toContain('<option value="">No team</option>');
    expect(html).toContain('<option value="t2" selected="">Support</option>');
    expect(html.match(/<option/g)).toHaveLength(3);
  });
});
