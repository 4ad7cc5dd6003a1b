package dev.engram.ingest.api;

import dev.engram.core.auth.Caller;
import dev.engram.ingest.auth.DocumentScope;
import dev.engram.ingest.auth.RequestCaller;
import dev.engram.ingest.documents.FindDocument;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v3/documents/{id}/chunks}: a document's indexed chunks, in order. Chunks are memory-writer's
 * ({@code writer.chunks}); this service only reads them.
 */
@Path("/v3/documents/{id}/chunks")
@Produces(MediaType.APPLICATION_JSON)
public class DocumentChunksResource {

    @Inject
    FindDocument findDocument;

    @Inject
    Pool client;

    @Inject
    RequestCaller requestCaller;

    @Inject
    DocumentScope scope;

    @GET
    public Uni<Map<String, Object>> chunks(@PathParam("id") String idOrCustomId) {
        Caller caller = requestCaller.get();
        return scope.check(caller, idOrCustomId)
                .flatMap(ok -> findDocument.byIdOrCustomId(caller.orgId(), idOrCustomId))
                .flatMap(document -> client.preparedQuery("select id, position, content, token_count from writer.chunks"
                                + " where org_id = $1 and document_id = $2 order by position")
                        .execute(Tuple.of(caller.orgId(), document.id()))
                        .map(rows -> {
                            List<Map<String, Object>> chunks = new ArrayList<>();
                            for (Row row : rows) {
                                Map<String, Object> chunk = new LinkedHashMap<>();
                                chunk.put("id", row.getString("id"));
                                chunk.put("position", row.getInteger("position"));
                                chunk.put("content", row.getString("content"));
                                chunk.put("tokenCount", row.getInteger("token_count"));
                                chunks.add(chunk);
                            }
                            Map<String, Object> response = new LinkedHashMap<>();
                            response.put("documentId", document.id());
                            response.put("status", document.status());
                            response.put("chunks", chunks);
                            response.put("total", chunks.size());
                            return response;
                        }));
    }
}
