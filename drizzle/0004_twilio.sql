-- Phone and SMS (Twilio): agents' phone numbers and duty for calls forwarded by the voice menu,
-- and ingest_message() (0002) taught four things, each inert for a payload without the new keys:
--   1. `sender_type` 'system': what a channel observed (a call started, a menu choice, a call's
--      outcome) is stored as a system message without sender; it is not announced as
--      `message.received` (it is not the customer's words);
--   2. `fetch_error` on attachments: why a file was not taken (a refused media URL);
--   3. `labels`: labels a message puts on its conversation (`callback_requested`);
--   4. `language`: fills an existing contact's language when it is still unknown (before, only
--      a new contact's), so a caller's choice in the phone menu is remembered.
--   5. the message it returns leaves out `meta.raw` (kept in the row; nobody reads it back).
-- Each is marked "0004:" below. The function is 0002's otherwise: if another migration also
-- replaces it, these five changes are what to carry over.

ALTER TABLE "users" ADD COLUMN "phone" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "on_duty" boolean DEFAULT false NOT NULL;--> statement-breakpoint

CREATE OR REPLACE FUNCTION ingest_message(p jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_inbox uuid := (p->>'inbox')::uuid;
  v_at timestamptz := coalesce((p->>'at')::timestamptz, now());
  v_provider text := p->>'provider_id';
  v_kind identity_kind := (p->>'kind')::identity_kind;
  v_value text := p->>'value';
  v_thread text := p->>'thread_key';
  v_system boolean := coalesce(p->>'sender_type', 'contact') = 'system'; -- 0004: 1
  v_hours double precision := coalesce((p->>'reopen_hours')::double precision, 168);
  v_contact contacts;
  v_contact_id uuid;
  v_identity_id uuid;
  v_contact_created boolean := false;
  v_conv conversations;
  v_created boolean := false;
  v_msg messages;
  v_att attachments;
  v_a jsonb;
  v_files jsonb := '[]'::jsonb;
  v_existing uuid;
  v_event text;
  v_listener text;
BEGIN
  IF v_provider IS NOT NULL THEN
    SELECT id INTO v_existing FROM messages
     WHERE inbox_id = v_inbox AND direction = 'in' AND provider_message_id = v_provider;
    IF FOUND THEN
      RETURN jsonb_build_object('outcome', 'duplicate', 'message_id', v_existing);
    END IF;
  END IF;

  -- The contact behind the identity, locked: two first messages of one new customer wait for
  -- each other here instead of opening two conversations.
  LOOP
    SELECT i.id, i.contact_id INTO v_identity_id, v_contact_id FROM contact_identities i
     WHERE i.kind = v_kind AND i.value = v_value;
    IF FOUND THEN
      SELECT * INTO v_contact FROM contacts WHERE id = v_contact_id FOR UPDATE;
      -- 0004: 4. A language learnt later (a caller's choice in the phone menu) fills an unknown one.
      IF v_contact.language IS NULL AND p->>'language' IS NOT NULL THEN
        UPDATE contacts SET language = p->>'language', updated_at = now()
         WHERE id = v_contact.id RETURNING * INTO v_contact;
      END IF;
      EXIT;
    END IF;
    INSERT INTO contacts (name, search_text, language, last_seen_at, created_at, updated_at)
    VALUES (coalesce(p->>'name', v_value), coalesce(p->>'contact_search', ''), p->>'language',
            v_at, v_at, v_at)
    RETURNING * INTO v_contact;
    INSERT INTO contact_identities (contact_id, kind, value) VALUES (v_contact.id, v_kind, v_value)
    ON CONFLICT (kind, value) DO NOTHING RETURNING id INTO v_identity_id;
    IF v_identity_id IS NOT NULL THEN
      v_contact_created := true;
      EXIT;
    END IF;
    -- Another transaction created this identity meanwhile: use its contact, drop ours.
    DELETE FROM contacts WHERE id = v_contact.id;
  END LOOP;

  -- The conversation a live session already knows (web chat), when it may take the message.
  IF p ? 'hint_conversation' THEN
    SELECT * INTO v_conv FROM conversations
     WHERE id = (p->>'hint_conversation')::uuid AND contact_id = v_contact.id AND inbox_id = v_inbox
     FOR UPDATE;
  END IF;
  IF v_conv.id IS NULL THEN
    IF p->>'thread_scope' = 'thread' AND v_thread IS NOT NULL THEN
      SELECT * INTO v_conv FROM conversations WHERE inbox_id = v_inbox AND thread_key = v_thread
       ORDER BY created_at DESC LIMIT 1 FOR UPDATE;
    ELSE
      SELECT * INTO v_conv FROM conversations
       WHERE inbox_id = v_inbox AND contact_id = v_contact.id
         AND (v_thread IS NULL OR thread_key = v_thread)
       ORDER BY created_at DESC LIMIT 1 FOR UPDATE;
    END IF;
  END IF;
  -- A resolved conversation comes back within the inbox's reopen window; after it, a new one.
  IF v_conv.id IS NOT NULL AND v_conv.status = 'resolved' AND (v_conv.resolved_at IS NULL
      OR v_at - v_conv.resolved_at > make_interval(secs => v_hours * 3600)) THEN
    v_conv := NULL;
  END IF;
  IF v_conv.id IS NULL THEN
    INSERT INTO conversations (inbox_id, contact_id, contact_identity_id, channel, status,
                               thread_key, subject, channel_ref, created_at, updated_at)
    VALUES (v_inbox, v_contact.id, v_identity_id, (p->>'channel')::channel_kind,
            coalesce(p->>'start_status', 'open')::conversation_status, v_thread, p->>'subject',
            nullif(p->'channel_ref', 'null'::jsonb), v_at, v_at)
    RETURNING * INTO v_conv;
    v_created := true;
  END IF;

  INSERT INTO messages (conversation_id, inbox_id, direction, sender_type, sender_id, text, html,
                        search_text, private, status, provider_message_id, meta, created_at,
                        updated_at)
  VALUES (v_conv.id, v_inbox, 'in',
          CASE WHEN v_system THEN 'system' ELSE 'contact' END::sender_type, -- 0004: 1
          CASE WHEN v_system THEN NULL ELSE v_contact.id END, coalesce(p->>'text', ''),
          p->>'html', coalesce(p->>'search_text', ''), false, 'received', v_provider,
          coalesce(p->'meta', '{}'::jsonb), v_at, v_at)
  ON CONFLICT DO NOTHING
  RETURNING * INTO v_msg;
  IF v_msg.id IS NULL THEN
    -- A concurrent delivery of the same message won the race.
    RETURN jsonb_build_object('outcome', 'duplicate');
  END IF;

  FOR v_a IN SELECT * FROM jsonb_array_elements(coalesce(p->'attachments', '[]'::jsonb)) LOOP
    INSERT INTO attachments (message_id, file_name, content_type, size, storage_path, media_ref,
                             fetch_state, fetch_error, created_at)
    VALUES (v_msg.id, v_a->>'file_name', v_a->>'content_type', coalesce((v_a->>'size')::int, 0),
            v_a->>'storage_path', nullif(v_a->'media_ref', 'null'::jsonb),
            coalesce(v_a->>'fetch_state', 'stored'), v_a->>'fetch_error', v_at) -- 0004: 2
    RETURNING * INTO v_att;
    v_files := v_files || jsonb_build_array(to_jsonb(v_att));
    IF v_att.fetch_state = 'pending' THEN
      INSERT INTO jobs (kind, key, payload, max_attempts)
      VALUES ('media.fetch', v_att.id::text, jsonb_build_object('attachmentId', v_att.id), 6);
    END IF;
  END LOOP;

  UPDATE conversations SET
    last_message_at = greatest(last_message_at, v_at),
    last_incoming_at = greatest(last_incoming_at, v_at),
    last_message_preview = CASE WHEN last_message_at IS NULL OR v_at >= last_message_at
                                THEN p->>'preview' ELSE last_message_preview END,
    unread_count = unread_count + 1,
    message_count = message_count + 1,
    waiting_since = coalesce(waiting_since, v_at),
    status = CASE WHEN status IN ('resolved', 'snoozed', 'pending') THEN 'open' ELSE status END,
    resolved_at = NULL,
    snoozed_until = NULL,
    contact_identity_id = coalesce(contact_identity_id, v_identity_id),
    labels = CASE WHEN jsonb_typeof(p->'labels') = 'array' THEN ARRAY( -- 0004: 3
               SELECT DISTINCT l FROM unnest(labels || ARRAY(
                 SELECT jsonb_array_elements_text(p->'labels'))) AS l ORDER BY l)
             ELSE labels END,
    updated_at = now()
  WHERE id = v_conv.id
  RETURNING * INTO v_conv;

  -- Durable events: one job per listener, written with the message (the outbox).
  FOR v_event, v_listener IN
    SELECT e.key, l.value FROM jsonb_each(coalesce(p->'listeners', '{}'::jsonb)) e,
           jsonb_array_elements_text(e.value) l
  LOOP
    IF (v_event = 'message.received' AND NOT v_system) -- 0004: 1
       OR (v_event = 'conversation.created' AND v_created) THEN
      INSERT INTO jobs (kind, payload) VALUES ('event', jsonb_build_object(
        'listener', v_listener, 'event', v_event,
        'data', jsonb_build_object('messageId', v_msg.id, 'conversationId', v_conv.id,
                                   'contactId', v_contact.id, 'inboxId', v_inbox)));
    END IF;
  END LOOP;

  RETURN jsonb_build_object(
    'outcome', 'stored',
    -- 0004: 5. The raw provider payload stays in the row; the caller's copy goes without it.
    'message', to_jsonb(v_msg) || jsonb_build_object('meta', v_msg.meta - 'raw'),
    'conversation', to_jsonb(v_conv),
    'contact', jsonb_build_object('id', v_contact.id, 'name', v_contact.name),
    'attachments', v_files,
    'first_message', v_conv.message_count = 1,
    'contact_created', v_contact_created,
    'assignee_name', (SELECT name FROM users WHERE id = v_conv.assignee_id),
    'team_name', (SELECT name FROM teams WHERE id = v_conv.team_id));
END;
$$;
