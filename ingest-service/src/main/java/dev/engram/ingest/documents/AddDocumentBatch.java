package dev.engram.ingest.documents;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.ingest.api.AddDocumentRequest;
import dev.engram.ingest.api.BatchAddRequest;
import dev.engram.ingest.api.BatchAddResponse;
import dev.engram.ingest.api.InvalidRequestException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;

/**
 * Adds up to {@link #MAX_ITEMS} documents. Each item is validated and stored on its own, so one bad item is reported
 * in its result and does not sink the others; a malformed batch as a whole (no list, too many items) is a 400.
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
        List<Object> validated = new ArrayList<>(documents.size());
        for (int i = 0; i < documents.size(); i++) {
            validated.add(validateItem(documents.get(i), request, orgId, "documents[" + i + "]."));
        }
        // Items are stored one after another (each in its own transaction), in request order.
        return Multi.createFrom()
                .iterable(validated)
                .onItem()
                .transformToUniAndConcatenate(item -> item instanceof NewDocument document
                        ? addDocument
                                .add(document)
                                .map(added -> new BatchAddResponse.Item(
                                        added.id(), added.status().wireName(), null, null))
                        : Uni.createFrom().item((BatchAddResponse.Item) item))
                .collect()
                .asList()
                .map(results -> {
                    int failed = (int) results.stream()
                            .filter(r -> "error".equals(r.status()))
                            .count();
                    return new BatchAddResponse(results, results.size() - failed, failed);
                });
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
            AddDocumentRequest merged = new AddDocumentRequest(
                    item.content(),
                    item.containerTag() != null || item.containerTags() != null
                            ? item.containerTag()
                            : shared.containerTag(),
                    item.containerTag() != null || item.containerTags() != null
                            ? item.containerTags()
                            : shared.containerTags(),
                    item.customId(),
                    item.metadata() != null ? item.metadata() : shared.metadata(),
                    item.entityContext() != null ? item.entityContext() : shared.entityContext(),
                    item.filepath() != null ? item.filepath() : shared.filepath(),
                    item.taskType() != null ? item.taskType() : shared.taskType());
            return DocumentRequestValidator.validate(merged, orgId, prefix);
        } catch (InvalidRequestException e) {
            return new BatchAddResponse.Item("", "error", "Invalid request", e.getMessage());
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return new BatchAddResponse.Item(
                    "", "error", "Invalid request", prefix + "body: not a valid document object");
        }
    }
}
