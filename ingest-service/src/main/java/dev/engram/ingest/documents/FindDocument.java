package dev.engram.ingest.documents;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.ingest.api.DocumentResponse;
import dev.engram.ingest.api.ResourceNotFoundException;
import dev.engram.ingest.persistence.DocumentEntity;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.List;

/** Looks documents up by id or customId, within one organisation. */
@ApplicationScoped
public class FindDocument {

    @Inject
    Pool client;

    @Inject
    ObjectMapper json;

    /**
     * @throws ResourceNotFoundException (as the failure of the returned {@code Uni}) when there is none
     */
    @WithSession
    public Uni<DocumentResponse> byIdOrCustomId(String orgId, String idOrCustomId) {
        return entity(orgId, idOrCustomId)
                .onItem()
                .ifNull()
                .failWith(() -> new ResourceNotFoundException("No document with id or customId '" + idOrCustomId + "'"))
                .map(FindDocument::toResponse);
    }

    /**
     * Documents still in the pipeline, oldest first: the JSON body of {@code GET /v3/documents/processing}
     * ({@code {documents, totalCount}}), of one container tag only when {@code containerTag} is not null (a scoped key).
     *
     * <p>Clients poll this list while a bulk import runs, when it holds thousands of documents, so each poll is kept
     * cheap: only the columns the answer shows are read (never the content), and the rows are written straight to
     * JSON, the stored metadata as the JSON text it is, without building a map per document and parsing the metadata
     * back into one (which cost about four times as much per document).
     */
    public Uni<byte[]> processing(String orgId, String containerTag) {
        String sql = "select id, created_at, custom_id, metadata::text as metadata, status, title, type, updated_at,"
                + " container_tag from ingest.documents where org_id = $1 and status not in ('done', 'failed')"
                + (containerTag == null ? "" : " and container_tag = $2")
                + " order by created_at, id";
        Tuple parameters = containerTag == null ? Tuple.of(orgId) : Tuple.of(orgId, containerTag);
        return client.preparedQuery(sql).execute(parameters).map(this::processingJson);
    }

    private byte[] processingJson(RowSet<Row> rows) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(64 + rows.size() * 256);
        try (JsonGenerator out = json.getFactory().createGenerator(body)) {
            out.writeStartObject();
            out.writeArrayFieldStart("documents");
            for (Row row : rows) {
                out.writeStartObject();
                out.writeStringField("id", row.getString("id"));
                out.writeStringField("createdAt", instant(row.getOffsetDateTime("created_at")));
                out.writeStringField("customId", row.getString("custom_id"));
                out.writeFieldName("metadata");
                String metadata = row.getString("metadata");
                out.writeRawValue(metadata == null ? "{}" : metadata); // jsonb's own text: a JSON object
                out.writeStringField("status", row.getString("status"));
                out.writeStringField("title", row.getString("title"));
                out.writeStringField("type", row.getString("type"));
                out.writeStringField("updatedAt", instant(row.getOffsetDateTime("updated_at")));
                out.writeArrayFieldStart("containerTags");
                out.writeString(row.getString("container_tag"));
                out.writeEndArray();
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeNumberField("totalCount", rows.size());
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the processing list", e); // in memory: does not happen
        }
        return body.toByteArray();
    }

    private static String instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant().toString();
    }

    /** The row with this id, else the one with this customId, else {@code null}; needs an open session. */
    static Uni<DocumentEntity> entity(String orgId, String idOrCustomId) {
        return DocumentEntity.<DocumentEntity>find(
                        "orgId = ?1 and (id = ?2 or customId = ?2) order by case when id = ?2 then 0 else 1 end",
                        orgId,
                        idOrCustomId)
                .firstResult();
    }

    static DocumentResponse toResponse(DocumentEntity row) {
        boolean url = "url".equals(row.source);
        return new DocumentResponse(
                row.id,
                null,
                row.content,
                row.createdAt.toInstant(),
                row.customId,
                row.filepath,
                row.metadata,
                null,
                null,
                row.source,
                null,
                row.status,
                row.summary,
                row.taskType,
                row.title,
                row.type,
                row.updatedAt.toInstant(),
                List.of(row.containerTag),
                url ? row.content : null,
                row.statusReason,
                row.chunkCount,
                null,
                null);
    }
}
