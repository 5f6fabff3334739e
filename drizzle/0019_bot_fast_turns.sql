-- 0019: a bot turn in two statements. The customer's message is ingested as before (the 0018
-- function, renamed); when the conversation is with the bot, this wrapper writes the turn's job
-- (keyed by the message, due only later: it is the safety net for a turn the ingesting process
-- could not finish) and returns what the turn needs to read: the customer, the inbox's bot
-- switch, and the dialog state. The process runs the dialog and hands its outcome to
-- bot_turn_commit(), which checks that nothing changed meanwhile and writes everything at once.
ALTER FUNCTION ingest_message(jsonb) RENAME TO ingest_message_0018;
--> statement-breakpoint
CREATE FUNCTION ingest_message(p jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_received jsonb := p->'listeners'->'message.received';
  v_bot boolean := coalesce(jsonb_typeof(v_received) = 'array' AND v_received ? 'bot', false);
  v_result jsonb;
  v_conv jsonb;
  v_msg jsonb;
  v_key text;
  v_state text;
BEGIN
  IF v_bot THEN
    p := jsonb_set(p, '{listeners,message.received}', v_received - 'bot');
  END IF;
  v_result := ingest_message_0018(p);
  IF NOT v_bot OR v_result->>'outcome' <> 'stored' THEN
    RETURN v_result;
  END IF;
  v_conv := v_result->'conversation';
  v_msg := v_result->'message';
  -- The bot takes the customer's own words only while it holds the conversation.
  IF v_conv->>'status' <> 'bot' OR v_msg->>'sender_type' <> 'contact' THEN
    RETURN v_result;
  END IF;
  v_key := 'bot:' || (v_msg->>'id');
  INSERT INTO jobs (kind, key, payload, run_at) VALUES ('event', v_key, jsonb_build_object(
    'listener', 'bot', 'event', 'message.received',
    'data', jsonb_build_object('messageId', v_msg->'id', 'conversationId', v_conv->'id',
                               'contactId', v_result->'contact'->'id', 'inboxId', p->'inbox')),
    -- BOT_SAFETY_NET_MS: the ingesting process takes the turn at once; the worker only when
    -- that process could not (it stopped, or the turn failed).
    now() + interval '30 seconds')
  ON CONFLICT (kind, key) WHERE key IS NOT NULL AND state = 'pending' DO NOTHING;
  -- botbuilder's ConversationState key (conversationStateKey() in src/bot/turn-context.ts).
  v_state := (v_conv->>'channel') || '/conversations/' || (v_conv->>'id') || '/';
  RETURN v_result || jsonb_build_object('bot', (
    SELECT jsonb_build_object(
      'job_key', v_key,
      'state_key', v_state,
      'enabled', i.bot_enabled,
      'business_hours_id', i.business_hours_id,
      'name', ct.name,
      'language', ct.language,
      'tier', ct.tier,
      'identities', coalesce((SELECT jsonb_agg(jsonb_build_object('kind', ci.kind, 'value', ci.value))
                                FROM contact_identities ci WHERE ci.contact_id = ct.id), '[]'::jsonb),
      'recipient', (SELECT jsonb_build_object('kind', ci.kind, 'value', ci.value, 'state', ci.state)
                      FROM contact_identities ci
                     WHERE ci.id = (v_conv->>'contact_identity_id')::uuid),
      'state', (SELECT jsonb_build_object('doc', b.doc, 'etag', b.etag)
                  FROM bot_state b WHERE b.key = v_state))
      FROM inboxes i, contacts ct
     WHERE i.id = (v_conv->>'inbox_id')::uuid AND ct.id = (v_conv->>'contact_id')::uuid));
END;
$$;
--> statement-breakpoint
-- The outcome of a turn the process ran outside any transaction: written only if the conversation
-- is still the bot's (and its inbox's bot still on), its dialog state is still the one the turn read (eTags), and the turn's job
-- is still there and held by nobody (else a worker runs it, or ran it). The reply, its delivery
-- (a job, or recorded as sent when the channel's send is a push the visitor replays on
-- reconnect), the durable events of the reply, the state and the counters commit together.
CREATE FUNCTION bot_turn_commit(p jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_conv conversations;
  v_msg messages;
  v_s jsonb;
  v_etag bigint;
  v_job bigint;
  v_id uuid;
  v_at timestamptz := coalesce((p->>'at')::timestamptz, now());
  v_sent boolean := coalesce((p->>'sent_at_commit')::boolean, false);
  v_listener text;
BEGIN
  -- Every writer of a conversation's dialog state locks the conversation first.
  SELECT * INTO v_conv FROM conversations WHERE id = (p->>'conversation')::uuid FOR UPDATE;
  IF v_conv.id IS NULL OR v_conv.status <> 'bot' THEN
    -- Nothing for the bot to do any more (people took it, or it was deleted).
    DELETE FROM jobs WHERE kind = 'event' AND key = p->>'job_key' AND state = 'pending'
       AND (locked_until IS NULL OR locked_until < now());
    RETURN jsonb_build_object('outcome', 'not_bot');
  END IF;
  -- The inbox's bot was switched off since the message was stored: the transactional turn
  -- hands the customer to people.
  IF NOT coalesce((SELECT bot_enabled FROM inboxes WHERE id = v_conv.inbox_id), false) THEN
    RETURN jsonb_build_object('outcome', 'switched_off');
  END IF;
  FOR v_s IN SELECT * FROM jsonb_array_elements(coalesce(p->'states', '[]'::jsonb)) LOOP
    v_etag := NULL;
    SELECT etag INTO v_etag FROM bot_state WHERE key = v_s->>'key';
    IF v_etag IS DISTINCT FROM (v_s->>'etag')::bigint THEN
      RETURN jsonb_build_object('outcome', 'conflict');
    END IF;
  END LOOP;
  DELETE FROM jobs WHERE kind = 'event' AND key = p->>'job_key' AND state = 'pending'
     AND (locked_until IS NULL OR locked_until < now())
  RETURNING id INTO v_job;
  IF v_job IS NULL THEN
    RETURN jsonb_build_object('outcome', 'taken');
  END IF;

  FOR v_s IN SELECT * FROM jsonb_array_elements(coalesce(p->'states', '[]'::jsonb)) LOOP
    IF v_s->>'etag' IS NULL THEN
      INSERT INTO bot_state (key, doc, etag, updated_at) VALUES (v_s->>'key', v_s->'doc', 1, now());
    ELSE
      UPDATE bot_state SET doc = v_s->'doc', etag = etag + 1, updated_at = now()
       WHERE key = v_s->>'key';
    END IF;
  END LOOP;
  IF p ? 'language' THEN
    UPDATE contacts SET language = p->>'language', updated_at = now() WHERE id = v_conv.contact_id;
  END IF;
  IF p ? 'reply' THEN
    v_id := gen_random_uuid();
    INSERT INTO messages (id, conversation_id, inbox_id, direction, sender_type, text, search_text,
                          private, status, provider_message_id, meta, created_at, updated_at)
    VALUES (v_id, v_conv.id, v_conv.inbox_id, 'out', 'bot', p->'reply'->>'text',
            p->'reply'->>'search_text', false,
            CASE WHEN v_sent THEN 'sent' ELSE 'queued' END::message_status,
            CASE WHEN v_sent THEN v_id::text END,
            coalesce(p->'reply'->'meta', '{}'::jsonb), v_at, v_at)
    RETURNING * INTO v_msg;
    IF NOT v_sent THEN
      -- URGENT_LEAD_MS: a customer waits on it, ahead of bookkeeping already due.
      INSERT INTO jobs (kind, key, payload, run_at, max_attempts)
      VALUES ('delivery', v_id::text, jsonb_build_object('messageId', v_id),
              now() - interval '1 minute', coalesce((p->>'max_attempts')::int, 8));
    END IF;
    FOR v_listener IN SELECT jsonb_array_elements_text(coalesce(p->'listeners', '[]'::jsonb)) LOOP
      INSERT INTO jobs (kind, payload) VALUES ('event', jsonb_build_object(
        'listener', v_listener, 'event', 'message.posted',
        'data', p->'posted' || jsonb_build_object('messageId', v_id,
                                                  'conversationId', v_conv.id,
                                                  'inboxId', v_conv.inbox_id)));
    END LOOP;
    UPDATE conversations SET last_message_at = v_at, last_message_preview = p->'reply'->>'preview',
           message_count = message_count + 1, updated_at = v_at
     WHERE id = v_conv.id
    RETURNING * INTO v_conv;
  END IF;
  RETURN jsonb_build_object(
    'outcome', 'committed',
    'message', CASE WHEN v_msg.id IS NULL THEN NULL ELSE to_jsonb(v_msg) END,
    'conversation', to_jsonb(v_conv),
    'contact', (SELECT jsonb_build_object('id', id, 'name', name) FROM contacts
                 WHERE id = v_conv.contact_id),
    'assignee_name', CASE WHEN v_conv.assignee_id IS NULL THEN NULL
                          ELSE (SELECT name FROM users WHERE id = v_conv.assignee_id) END,
    'team_name', CASE WHEN v_conv.team_id IS NULL THEN NULL
                      ELSE (SELECT name FROM teams WHERE id = v_conv.team_id) END);
END;
$$;
