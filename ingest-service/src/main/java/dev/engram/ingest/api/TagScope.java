package dev.engram.ingest.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.engram.core.auth.Caller;
import dev.engram.ingest.listing.ListDocumentsRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites requests for a scoped key before they are validated: a request that names no container tag gets the
 * key's, one that names the key's keeps it, one that names another is refused (403). Requests of unscoped keys pass
 * unchanged. Values of the wrong type are left for the validators to report.
 */
final class TagScope {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private TagScope() {}

    static AddDocumentRequest add(Caller caller, AddDocumentRequest request) {
        if (!caller.scoped() || request == null) {
            return request;
        }
        check(caller, request.containerTag(), "containerTag");
        checkAll(caller, request.containerTags(), "containerTags");
        return new AddDocumentRequest(
                request.content(),
                caller.containerTag(),
                null,
                request.customId(),
                request.metadata(),
                request.entityContext(),
                request.filepath(),
                request.taskType());
    }

    static AddConversationRequest conversation(Caller caller, AddConversationRequest request) {
        if (!caller.scoped() || request == null) {
            return request;
        }
        check(caller, request.containerTag(), "containerTag");
        checkAll(caller, request.containerTags(), "containerTags");
        return new AddConversationRequest(
                request.conversationId(),
                request.messages(),
                caller.containerTag(),
                null,
                request.metadata(),
                request.entityContext());
    }

    static BatchAddRequest batch(Caller caller, BatchAddRequest request) {
        if (!caller.scoped() || request == null) {
            return request;
        }
        check(caller, request.containerTag(), "containerTag");
        checkAll(caller, request.containerTags(), "containerTags");
        JsonNode documents = request.documents();
        if (documents instanceof ArrayNode items) {
            for (int i = 0; i < items.size(); i++) {
                if (items.get(i) instanceof ObjectNode item) {
                    JsonNode tag = item.get("containerTag");
                    if (tag != null && tag.isTextual()) {
                        caller.tag(tag.asText(), "documents[" + i + "].containerTag");
                    }
                    JsonNode tags = item.get("containerTags");
                    if (tags instanceof ArrayNode list) {
                        for (JsonNode each : list) {
                            if (each.isTextual()) {
                                caller.tag(each.asText(), "documents[" + i + "].containerTags");
                            }
                        }
                    }
                }
            }
        }
        return new BatchAddRequest(
                documents,
                caller.containerTag(),
                null,
                request.metadata(),
                request.filepath(),
                request.taskType(),
                request.entityContext());
    }

    static UpdateDocumentRequest update(Caller caller, UpdateDocumentRequest request) {
        if (caller.scoped() && request != null) {
            check(caller, request.containerTag(), "containerTag");
            checkAll(caller, request.containerTags(), "containerTags");
        }
        return request;
    }

    static ListDocumentsRequest list(Caller caller, ListDocumentsRequest request) {
        if (!caller.scoped()) {
            return request;
        }
        if (request == null) {
            return new ListDocumentsRequest(List.of(caller.containerTag()), null, null, null, null, null, null, null);
        }
        checkAll(caller, request.containerTags(), "containerTags");
        return new ListDocumentsRequest(
                List.of(caller.containerTag()),
                request.filepath(),
                request.filters(),
                request.includeContent(),
                request.limit(),
                request.page(),
                request.sort(),
                request.order());
    }

    /** The upload form's tag for a scoped key (its own), after checking what the form named. */
    static String uploadTag(Caller caller, String containerTag, String containerTags) {
        if (!caller.scoped()) {
            return containerTag;
        }
        caller.tag(containerTag, "containerTag");
        if (containerTags != null && !containerTags.isBlank()) {
            String trimmed = containerTags.strip();
            if (!trimmed.startsWith("[")) {
                caller.tag(trimmed, "containerTags");
            } else {
                try {
                    for (JsonNode each : JSON.readTree(trimmed)) {
                        if (each.isTextual()) {
                            caller.tag(each.asText(), "containerTags");
                        }
                    }
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new InvalidRequestException("containerTags", "is not a JSON array of strings");
                }
            }
        }
        return caller.containerTag();
    }

    /** The bulk delete's container tags for a scoped key. */
    static List<Object> bulkTags(Caller caller, List<Object> containerTags) {
        if (!caller.scoped() || containerTags == null) {
            return containerTags;
        }
        checkAll(caller, containerTags, "containerTags");
        return new ArrayList<>(List.of(caller.containerTag()));
    }

    private static void check(Caller caller, Object tag, String field) {
        if (tag instanceof String text) {
            caller.tag(text, field);
        }
    }

    private static void checkAll(Caller caller, List<Object> tags, String field) {
        if (tags != null) {
            for (int i = 0; i < tags.size(); i++) {
                check(caller, tags.get(i), field + "[" + i + "]");
            }
        }
    }
}
