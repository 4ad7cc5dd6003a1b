-- Issue #4: conversations stored as documents (POST /v4/conversations, and the router's events on
-- engram.conversations.v1), and who made a document.

alter table documents
    -- DocumentEvent.origin: null for documents added through the API or by producers, 'memories' for the light
    -- document that records memories created directly (memory-writer extracts no memories from it).
    add column origin            text,
    -- For source 'conversation': a SHA-256 over the conversation's messages and metadata, so re-sending the same
    -- conversation is recognised without comparing transcripts. Null while a newer revision's content is unknown.
    add column conversation_hash text,
    drop constraint documents_source_ck,
    add constraint documents_source_ck check (source in ('text', 'url', 'file', 'conversation'));
