-- Web chat's hot path in one statement: lock the session's conversation, check it may take the
-- message (not resolved, or resolved within the reopen window), store the message idempotently
-- and update the counters. One round trip instead of five (BEGIN, lock, insert, update, COMMIT).
-- The reopen rule mirrors chooseConversation() in src/ingest/ingest.service.ts.
-- Outcomes: {"outcome":"stored", message, conversation, contactName}, {"outcome":"duplicate"}
-- (that provider id is stored already) or {"outcome":"fallback"} (let the general path decide).
CREATE FUNCTION ingest_into_session(
  p_conversation uuid,
  p_contact uuid,
  p_inbox uuid,
  p_reopen_hours double precision,
  p_text text,
  p_search_text text,
  p_preview text,
  p_provider_id text,
  p_now timestamptz
) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  c conversations;
  m messages;
  contact_name text;
BEGIN
  SELECT * INTO c FROM conversations
   WHERE id = p_conversation AND contact_id = p_contact AND inbox_id = p_inbox
   FOR UPDATE;
  IF NOT FOUND THEN
    RETURN jsonb_build_object('outcome', 'fallback');
  END IF;
  IF c.status = 'resolved' AND (c.resolved_at IS NULL
      OR p_now - c.resolved_at > make_interval(secs => p_reopen_hours * 3600)) THEN
    RETURN jsonb_build_object('outcome', 'fallback');
  END IF;

  INSERT INTO messages (conversation_id, inbox_id, direction, sender_type, sender_id, text,
                        search_text, private, status, provider_message_id, created_at, updated_at)
  VALUES (c.id, p_inbox, 'in', 'contact', p_contact, p_text, p_search_text, false, 'received',
          p_provider_id, p_now, p_now)
  ON CONFLICT DO NOTHING
  RETURNING * INTO m;
  IF NOT FOUND THEN
    RETURN jsonb_build_object('outcome', 'duplicate');
  END IF;

  UPDATE conversations SET
    last_message_at = p_now,
    last_incoming_at = p_now,
    last_message_preview = p_preview,
    unread_count = unread_count + 1,
    message_count = message_count + 1,
    waiting_since = coalesce(waiting_since, p_now),
    status = CASE WHEN status IN ('resolved', 'snoozed') THEN 'open' ELSE status END,
    resolved_at = NULL,
    snoozed_until = NULL,
    updated_at = p_now
  WHERE id = c.id
  RETURNING * INTO c;

  SELECT name INTO contact_name FROM contacts WHERE id = p_contact;
  RETURN jsonb_build_object('outcome', 'stored', 'message', to_jsonb(m),
                            'conversation', to_jsonb(c), 'contactName', contact_name,
                            'firstMessage', c.message_count = 1);
END;
$$;
