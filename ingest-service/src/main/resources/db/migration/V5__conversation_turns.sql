-- Issue #6: the Memory Router backfills a conversation's earlier turns when a client sends only the new one, so a
-- conversation document keeps its turns in structured form beside the (lossy) rendered transcript.

alter table documents
    -- For source 'conversation': {"messages": [ConversationMessage...]} of the revision in content, oldest first
    -- (GET /v4/conversations/{conversationId}). Null for other sources and for conversations stored before V5.
    add column turns jsonb;
