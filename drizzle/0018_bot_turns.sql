-- 0018: the bot's turn job is written with the message only when the conversation is with the
-- bot (status decided here, in the ingest's own transaction): no inbox-wide flag cached in memory
-- decides whether a customer gets an answer, and conversations of people cost no bot job; and
-- the turn goes ahead of bookkeeping in the queue.
CREATE OR REPLACE FUNCTION ingest_message(p jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_inbox uuid := (p->>'inbox')::uuid;
  v_at timestamptz := coalesce((p->>'at')::timestamptz, now());
  v_provider text := p->>'provider_id';
  v_kind identity_kind := (p->>'kind')::identity_kind;
  v_value text := p->>'value';
  v_thread text := p->>'thread_key';
  v_hours double precision := coalesce((p->>'reopen_hours')::double precision, 168);
  v_system boolean := coalesce(p->>'sender_type', 'contact') = 'system'; -- 0004: system message
  v_contact contacts;
  v_contact_id uuid;
  v_identity_id uuid;
  v_contact_created boolean := false;
  v_conv conversations;
  v_created boolean := false;
  v_msg messages;
  v_files jsonb;
  v_existing uuid;
  v_event text;
  v_listener text;
  v_x jsonb;
  v_xid uuid;
  v_owner uuid;
  v_hints jsonb := '[]'::jsonb;
  v_meta jsonb := coalesce(p->'meta', '{}'::jsonb);
  -- 0005 (e-mail) begin: declarations
  v_a jsonb;
  v_refs text[];
  v_part_contact uuid;
  v_part_identity uuid;
  -- 0005 (e-mail) end
BEGIN
  IF v_provider IS NOT NULL THEN
    SELECT id INTO v_existing FROM messages
     WHERE inbox_id = v_inbox AND direction = 'in' AND provider_message_id = v_provider;
    IF FOUND THEN
      IF p ? 'part_key' THEN
        RETURN ingest_append_part(v_existing, p);
      END IF;
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
      -- 0012: the contact went away while we waited for its lock (the anonymous-visitor
      -- cleanup deleted it): look the identity up again, which creates the contact afresh.
      IF NOT FOUND THEN
        CONTINUE;
      END IF;
      -- 0004: a language learnt later (a caller's choice in the phone menu) fills an unknown one.
      IF v_contact.language IS NULL AND p->>'language' IS NOT NULL THEN
        UPDATE contacts SET language = p->>'language', updated_at = now()
         WHERE id = v_contact.id RETURNING * INTO v_contact;
      END IF;
      EXIT;
    END IF;
    INSERT INTO contacts (name, search_text, language, custom_attributes, last_seen_at,
                          created_at, updated_at)
    VALUES (coalesce(p->>'name', v_value), coalesce(p->>'contact_search', ''), p->>'language',
            coalesce(p->'contact_attributes', '{}'::jsonb), v_at, v_at, v_at)
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

  -- Identities the customer proved on the way (a shared phone number).
  FOR v_x IN SELECT * FROM jsonb_array_elements(coalesce(p->'extra_identities', '[]'::jsonb)) LOOP
    v_xid := NULL;
    INSERT INTO contact_identities (contact_id, kind, value)
    VALUES (v_contact.id, (v_x->>'kind')::identity_kind, v_x->>'value')
    ON CONFLICT (kind, value) DO NOTHING RETURNING id INTO v_xid;
    IF v_xid IS NOT NULL THEN
      UPDATE contacts SET search_text = trim(search_text || ' ' || coalesce(v_x->>'search', '')),
                          updated_at = now()
       WHERE id = v_contact.id;
    ELSE
      SELECT contact_id INTO v_owner FROM contact_identities
       WHERE kind = (v_x->>'kind')::identity_kind AND value = v_x->>'value';
      IF v_owner IS DISTINCT FROM v_contact.id THEN
        v_hints := v_hints || jsonb_build_array(jsonb_build_object(
          'kind', v_x->>'kind', 'value', v_x->>'value', 'contactId', v_owner));
      END IF;
    END IF;
  END LOOP;
  IF jsonb_array_length(v_hints) > 0 THEN
    v_meta := v_meta || jsonb_build_object('mergeHints', v_hints);
  END IF;

  -- The conversation a live session already knows (web chat), when it may take the message.
  IF p ? 'hint_conversation' THEN
    SELECT * INTO v_conv FROM conversations
     WHERE id = (p->>'hint_conversation')::uuid AND contact_id = v_contact.id AND inbox_id = v_inbox
     FOR UPDATE;
  END IF;
  -- 0005 (e-mail) begin: threading by reference. In this order: a conversation of this contact
  -- that holds one of the referenced messages (nearest reference first), one a reply token names,
  -- this contact's conversation with the same subject key active within the window. Another
  -- contact's conversation never takes the message; without a match a new one is opened.
  IF v_conv.id IS NULL AND p ? 'thread' THEN
    v_refs := ARRAY(SELECT jsonb_array_elements_text(coalesce(p->'thread'->'references', '[]'::jsonb)));
    IF cardinality(v_refs) > 0 THEN
      SELECT c.* INTO v_conv FROM messages m JOIN conversations c ON c.id = m.conversation_id
       WHERE m.inbox_id = v_inbox AND c.contact_id = v_contact.id
         AND ((m.direction = 'out' AND m.provider_message_id = ANY(v_refs))
           OR (m.direction = 'in' AND m.external_id = ANY(v_refs)))
       ORDER BY array_position(v_refs, CASE m.direction WHEN 'out' THEN m.provider_message_id
                                                         ELSE m.external_id END), m.created_at DESC
       LIMIT 1 FOR UPDATE OF c;
    END IF;
    IF v_conv.id IS NULL THEN
      SELECT * INTO v_conv FROM conversations
       WHERE id = ANY(ARRAY(SELECT jsonb_array_elements_text(
                   coalesce(p->'thread'->'conversation_ids', '[]'::jsonb))::uuid))
         AND inbox_id = v_inbox AND contact_id = v_contact.id
       ORDER BY created_at DESC LIMIT 1 FOR UPDATE;
    END IF;
    IF v_conv.id IS NULL AND v_thread IS NOT NULL THEN
      SELECT * INTO v_conv FROM conversations
       WHERE inbox_id = v_inbox AND contact_id = v_contact.id AND thread_key = v_thread
         AND coalesce(last_message_at, created_at) >= v_at - make_interval(
               days => coalesce((p->'thread'->>'window_days')::int, 14))
       ORDER BY created_at DESC LIMIT 1 FOR UPDATE;
    END IF;
  END IF;
  -- 0005 (e-mail) end; the conditions below gained "AND NOT (p ? 'thread')"
  IF v_conv.id IS NULL AND NOT v_contact_created AND NOT (p ? 'thread') THEN
    IF p->>'thread_scope' = 'thread' AND v_thread IS NOT NULL THEN
      SELECT * INTO v_conv FROM conversations WHERE inbox_id = v_inbox AND thread_key = v_thread
       ORDER BY created_at DESC LIMIT 1 FOR UPDATE;
    ELSE
      SELECT * INTO v_conv FROM conversations
       WHERE inbox_id = v_inbox AND contact_id = v_contact.id
         AND (v_thread IS NULL OR thread_key = v_thread)
       ORDER BY created_at DESC LIMIT 1 FOR UPDATE;
    END IF;
  ELSIF v_conv.id IS NULL AND NOT (p ? 'thread') AND p->>'thread_scope' = 'thread'
        AND v_thread IS NOT NULL THEN
    -- A new contact in a group thread: the thread may exist already (someone else opened it).
    SELECT * INTO v_conv FROM conversations WHERE inbox_id = v_inbox AND thread_key = v_thread
     ORDER BY created_at DESC LIMIT 1 FOR UPDATE;
  END IF;
  -- A resolved conversation comes back within the inbox's reopen window; after it, a new one.
  IF v_conv.id IS NOT NULL AND v_conv.status = 'resolved' AND (v_conv.resolved_at IS NULL
      OR v_at - v_conv.resolved_at > make_interval(secs => v_hours * 3600)) THEN
    v_conv := NULL;
  END IF;
  IF v_conv.id IS NULL THEN
    -- Born with this message's counters: no second write of the row below.
    INSERT INTO conversations (inbox_id, contact_id, contact_identity_id, channel, status,
                               thread_key, subject, channel_ref, last_message_at,
                               last_incoming_at, last_message_preview, unread_count,
                               message_count, waiting_since, labels, created_at, updated_at)
    VALUES (v_inbox, v_contact.id, v_identity_id, (p->>'channel')::channel_kind,
            coalesce(p->>'start_status', 'open')::conversation_status, v_thread, p->>'subject',
            nullif(p->'channel_ref', 'null'::jsonb), v_at, v_at, p->>'preview', 1, 1, v_at,
            -- 0004: labels the message puts on its conversation
            CASE WHEN jsonb_typeof(p->'labels') = 'array' THEN ARRAY(
              SELECT DISTINCT l FROM jsonb_array_elements_text(p->'labels') AS l ORDER BY l)
            ELSE '{}'::text[] END,
            v_at, v_at)
    RETURNING * INTO v_conv;
    v_created := true;
  END IF;

  -- 0005 (e-mail): external_id added
  INSERT INTO messages (conversation_id, inbox_id, direction, sender_type, sender_id, text, html,
                        search_text, private, status, provider_message_id, external_id, meta,
                        created_at, updated_at)
  VALUES (v_conv.id, v_inbox, 'in',
          CASE WHEN v_system THEN 'system' ELSE 'contact' END::sender_type, -- 0004
          CASE WHEN v_system THEN NULL ELSE v_contact.id END, coalesce(p->>'text', ''),
          p->>'html', coalesce(p->>'search_text', ''), false, 'received', v_provider,
          p->>'external_id', v_meta, v_at, v_at)
  ON CONFLICT DO NOTHING
  RETURNING * INTO v_msg;
  IF v_msg.id IS NULL THEN
    -- A concurrent delivery of the same message won the race (its first part, for parts).
    IF p ? 'part_key' THEN
      SELECT id INTO v_existing FROM messages
       WHERE inbox_id = v_inbox AND direction = 'in' AND provider_message_id = v_provider;
      RETURN ingest_append_part(v_existing, p);
    END IF;
    RETURN jsonb_build_object('outcome', 'duplicate');
  END IF;

  v_files := ingest_attachments(v_msg.id, p->'attachments', v_at);

  IF NOT v_created THEN
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
      -- 0005 (e-mail): what the next reply needs follows the latest message when the channel asks
      channel_ref = CASE WHEN coalesce((p->>'merge_channel_ref')::boolean, false) IS FALSE
                           OR jsonb_typeof(p->'channel_ref') IS DISTINCT FROM 'object' THEN channel_ref
                         ELSE coalesce(channel_ref, '{}'::jsonb) || (p->'channel_ref') END,
      labels = CASE WHEN jsonb_typeof(p->'labels') = 'array' THEN ARRAY( -- 0004
                 SELECT DISTINCT l FROM unnest(labels || ARRAY(
                   SELECT jsonb_array_elements_text(p->'labels'))) AS l ORDER BY l)
               ELSE labels END,
      updated_at = now()
    WHERE id = v_conv.id
    RETURNING * INTO v_conv;
  END IF;

  -- 0005 (e-mail) begin: the other people on the message (CC) become contacts of their own, as
  -- a first message of theirs would make them (no conversation for them).
  FOR v_a IN SELECT * FROM jsonb_array_elements(coalesce(p->'participants', '[]'::jsonb)) LOOP
    PERFORM 1 FROM contact_identities
     WHERE kind = (v_a->>'kind')::identity_kind AND value = v_a->>'value';
    IF NOT FOUND THEN
      INSERT INTO contacts (name, search_text, created_at, updated_at)
      VALUES (coalesce(v_a->>'name', v_a->>'value'), coalesce(v_a->>'search', ''), v_at, v_at)
      RETURNING id INTO v_part_contact;
      INSERT INTO contact_identities (contact_id, kind, value)
      VALUES (v_part_contact, (v_a->>'kind')::identity_kind, v_a->>'value')
      ON CONFLICT (kind, value) DO NOTHING RETURNING id INTO v_part_identity;
      IF v_part_identity IS NULL THEN
        DELETE FROM contacts WHERE id = v_part_contact;
      END IF;
    END IF;
  END LOOP;
  -- 0005 (e-mail) end

  -- Durable events: one job per listener, written with the message (the outbox).
  FOR v_event, v_listener IN
    SELECT e.key, l.value FROM jsonb_each(coalesce(p->'listeners', '{}'::jsonb)) e,
           jsonb_array_elements_text(e.value) l
  LOOP
    -- 0004: a system message (what the channel observed) is not the customer's words.
    IF ((v_event = 'message.received' AND NOT v_system)
        OR (v_event = 'conversation.created' AND v_created))
       -- 0018: the bot takes the customer's words only while it holds the conversation
       AND (v_listener <> 'bot' OR v_conv.status = 'bot') THEN
      -- 0018: a customer waits on the bot's turn: dated a minute back (URGENT_LEAD_MS), it is
      -- taken ahead of bookkeeping already due (the worker takes the oldest due first)
      INSERT INTO jobs (kind, payload, run_at) VALUES ('event', jsonb_build_object(
        'listener', v_listener, 'event', v_event,
        'data', jsonb_build_object('messageId', v_msg.id, 'conversationId', v_conv.id,
                                   'contactId', v_contact.id, 'inboxId', v_inbox)),
        CASE WHEN v_listener = 'bot' THEN now() - interval '1 minute' ELSE now() END);
    END IF;
  END LOOP;

  -- The raw provider payload stays in the row; the caller's copy of the message goes without it.
  RETURN jsonb_build_object(
    'outcome', 'stored',
    'message', to_jsonb(v_msg) || jsonb_build_object('meta', v_msg.meta - 'raw'),
    'conversation', to_jsonb(v_conv),
    'contact', jsonb_build_object('id', v_contact.id, 'name', v_contact.name),
    'attachments', v_files,
    'first_message', v_conv.message_count = 1,
    'contact_created', v_contact_created,
    'assignee_name', CASE WHEN v_conv.assignee_id IS NULL THEN NULL
                          ELSE (SELECT name FROM users WHERE id = v_conv.assignee_id) END,
    'team_name', CASE WHEN v_conv.team_id IS NULL THEN NULL
                      ELSE (SELECT name FROM teams WHERE id = v_conv.team_id) END);
END;
$$;
