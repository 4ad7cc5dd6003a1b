package dev.engram.ingest.documents;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.engram.core.json.UnstorableTextException;
import dev.engram.ingest.api.AddDocumentRequest;
import dev.engram.ingest.api.BatchAddRequest;
import dev.engram.ingest.api.BatchAddResponse;
import dev.engram.ingest.api.InvalidRequestException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Adds up to {@link #MAX_ITEMS} documents. Each item is validated on its own, so one bad item is reported in its
 * result and does not sink the others; the valid ones are then stored together in one transaction (all or none, so a
 * failed request can be retried). A malformed batch as a whole (no list, too many items, a bad shared field) is a
 * 400 and stores nothing.
 */
@ApplicationScoped
public class AddDocumentBatch {

    /** Most documents in one batch. */
    public static final int MAX_ITEMS = 600;

    @Inject
    AddDocument addDocument;

    @Inject
    ObjectMapper json;

    public Uni<BatchAddResponse> add(BatchAddRequest request, String orgId) {
        if (request == null
                || request.documents() == null
                || !request.documents().isArray()) {
            throw new InvalidRequestException("documents", "must be an array of documents or strings");
        }
        JsonNode documents = request.documents();
        if (documents.isEmpty() || documents.size() > MAX_ITEMS) {
            throw new InvalidRequestException(
                    "documents", "must hold 1 to " + MAX_ITEMS + " items, had " + documents.size());
        }
        validateShared(request);
        List<Object> validated = new ArrayList<>(documents.size());
        List<NewDocument> accepted = new ArrayList<>();
        for (int i = 0; i < documents.size(); i++) {
            Object item = validateItem(documents.get(i), request, orgId, "documents[" + i + "].");
            validated.add(item);
            if (item instanceof NewDocument document) {
                accepted.add(document);
            }
        }
        return addDocument.addAll(accepted).map(added -> {
            Iterator<AddDocument.Added> stored = added.iterator();
            List<BatchAddResponse.Item> results = new ArrayList<>(validated.size());
            for (Object item : validated) {
                if (item instanceof BatchAddResponse.Item failed) {
                    results.add(failed);
                } else {
                    AddDocument.Added next = stored.next();
                    results.add(
                            new BatchAddResponse.Item(next.id(), next.status().wireName(), null, null));
                }
            }
            int failed = validated.size() - accepted.size();
            return new BatchAddResponse(results, accepted.size(), failed);
        });
    }

    /** The fields shared by every item are the request's own: a bad one fails the whole batch, under its own name. */
    private static void validateShared(BatchAddRequest shared) {
        if (shared.containerTag() != null || shared.containerTags() != null) {
            DocumentRequestValidator.containerTag(shared.containerTag(), shared.containerTags(), "");
        }
        DocumentRequestValidator.metadata(shared.metadata(), "metadata");
        DocumentRequestValidator.filepath(shared.filepath(), "filepath");
        if (shared.taskType() != null) {
            DocumentRequestValidator.taskType(shared.taskType(), "taskType");
        }
        DocumentRequestValidator.entityContext(shared.entityContext(), "entityContext");
    }

    /** A {@link NewDocument}, or a failed {@link BatchAddResponse.Item}. */
    private Object validateItem(JsonNode node, BatchAddRequest shared, String orgId, String prefix) {
        try {
            AddDocumentRequest item;
            if (node.isTextual()) {
                item = new AddDocumentRequest(node.textValue(), null, null, null, null, null, null, null);
            } else if (node.isObject()) {
                item = json.treeToValue(node, AddDocumentRequest.class);
            } else {
                throw new InvalidRequestException(
                        prefix.substring(0, prefix.length() - 1), "must be an object or a string");
            }
            boolean ownTag = item.containerTag() != null || item.containerTags() != null;
            AddDocumentRequest merged = new AddDocumentRequest(
                    item.content(),
                    ownTag ? item.containerTag() : shared.containerTag(),
                    ownTag ? item.containerTags() : shared.containerTags(),
                    item.customId(),
                    item.metadata() != null ? item.metadata() : shared.metadata(),
                    item.entityContext() != null ? item.entityContext() : shared.entityContext(),
                    item.filepath() != null ? item.filepath() : shared.filepath(),
                    item.taskType() != null ? item.taskType() : shared.taskType());
            return DocumentRequestValidator.validate(merged, orgId, prefix);
        } catch (InvalidRequestException e) {
            return new BatchAddResponse.Item("", "error", "Invalid request", e.getMessage());
        } catch (UnstorableTextException e) {
            return new BatchAddResponse.Item("", "error", "Invalid request", prefix + e.details());
        } catch (MismatchedInputException e) {
            // A field of the wrong JSON shape, e.g. metadata given as a string.
            String field = e.getPath().isEmpty() || e.getPath().get(0).getFieldName() == null
                    ? "body"
                    : e.getPath().get(0).getFieldName();
            return new BatchAddResponse.Item("", "error", "Invalid request", prefix + field + ": has the wrong type");
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return new BatchAddResponse.Item(
                    "", "error", "Invalid request", prefix + "body: not a valid document object");
        }
    }
}
