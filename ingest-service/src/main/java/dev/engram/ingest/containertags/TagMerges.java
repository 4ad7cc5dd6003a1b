package dev.engram.ingest.containertags;

import dev.engram.core.documents.ContainerTags;
import dev.engram.core.events.DocumentEvent;
import dev.engram.ingest.api.InvalidRequestException;
import dev.engram.ingest.api.ResourceNotFoundException;
import dev.engram.ingest.conversations.ConversationDocuments;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Container tag merges ({@code POST /v3/container-tags/merge}): the rows of {@code ingest.container_tag_merges}, what a
 * merge moves, and its status. The moving itself is {@link MergeRunner}'s.
 *
 * <p>A merge moves every document of the source tags to the target through the ordinary document update (a new
 * container tag is a new revision: memory-writer re-indexes the document under the target and extracts its memories
 * there). Two kinds of documents stay where they are and are counted as skipped: conversations (a conversation's tag is
 * part of its id; re-send it to {@code POST /v4/conversations} with the target tag) and the light documents that
 * record memories created through {@code /v4/memories} (those memories live in memory-writer's tables, which a merge
 * does not move yet). A source tag left without documents is deleted at the end.
 */
@ApplicationScoped
public class TagMerges {

    /** Most tags one merge names. */
    public static final int MAX_TAGS = 100;

    /** The documents a merge moves: not conversations, not records of directly created memories. */
    static final String MOVABLE = "source <> '" + ConversationDocuments.SOURCE + "' and origin is distinct from '"
            + DocumentEvent.ORIGIN_MEMORIES + "'";

    /** What every status answer says about memories. */
    static final String MEMORIES_NOTE = "Documents are re-processed under the target tag and their memories are"
            + " extracted there again. Memories already in the source tags stay there: memories are not moved between"
            + " tags yet, and memories created directly through /v4/memories (and conversations) are not moved.";

    /**
     * A merge as stored.
     *
     * @param id the merge id
     * @param orgId the organisation
     * @param targetTag where documents go
     * @param sourceTags where they come from
     * @param status {@code queued}, {@code running}, {@code done} or {@code failed}
     * @param moved documents moved so far (by an earlier runner, when a merge is taken up again)
     */
    public record Merge(String id, String orgId, String targetTag, List<String> sourceTags, String status, int moved) {}

    @Inject
    Pool client;

    @Inject
    ContainerTagAdmin tags;

    /**
     * Checks a merge request and queues it: the target tag is recorded (so it exists from now on), the merge row is
     * {@code queued}.
     *
     * @throws InvalidRequestException for a bad field
     * @throws ResourceNotFoundException (as the failure) when a source tag does not exist in the organisation
     */
    public Uni<Merge> queue(String orgId, Object containerTags, Object targetContainerTag) {
        if (!(targetContainerTag instanceof String target)) {
            throw new InvalidRequestException("targetContainerTag", "is required: the tag to merge into");
        }
        ContainerTags.problem(target).ifPresent(problem -> {
            throw new InvalidRequestException("targetContainerTag", problem);
        });
        if (!(containerTags instanceof List<?> list) || list.isEmpty() || list.size() > MAX_TAGS) {
            throw new InvalidRequestException(
                    "containerTags", "must be a list of 1 to " + MAX_TAGS + " container tags to merge");
        }
        Set<String> sources = new LinkedHashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String field = "containerTags[" + i + "]";
            if (!(list.get(i) instanceof String tag)) {
                throw new InvalidRequestException(field, "must be a container tag");
            }
            ContainerTags.problem(tag).ifPresent(problem -> {
                throw new InvalidRequestException(field, problem);
            });
            if (!tag.equals(target)) {
                sources.add(tag);
            }
        }
        if (sources.isEmpty()) {
            throw new InvalidRequestException(
                    "containerTags", "must name at least one tag other than targetContainerTag");
        }
        List<String> sourceList = List.copyOf(sources);
        String id = "merge_" + UUID.randomUUID().toString().replace("-", "");
        return tags.existing(orgId, sourceList).flatMap(found -> {
            for (String source : sourceList) {
                if (!found.contains(source)) {
                    return Uni.createFrom().failure(ContainerTagAdmin.notFound(source));
                }
            }
            return client.withTransaction(tx -> tx.preparedQuery("insert into ingest.container_tags"
                                    + " (org_id, tag, created_at, updated_at) values ($1, $2, now(), now())"
                                    + " on conflict do nothing")
                            .execute(Tuple.of(orgId, target))
                            .flatMap(v -> tx.preparedQuery("insert into ingest.container_tag_merges"
                                            + " (id, org_id, target_tag, source_tags, status) values ($1, $2, $3, $4,"
                                            + " 'queued')")
                                    .execute(Tuple.of(id, orgId, target, sourceList.toArray(String[]::new)))))
                    .replaceWith(new Merge(id, orgId, target, sourceList, "queued", 0));
        });
    }

    /**
     * A merge's status: {@code {mergeId, status, targetTag, sourceTags, documentsMoved, documentsSkipped, reason,
     * note, createdAt, updatedAt, finishedAt}}.
     *
     * @throws ResourceNotFoundException (as the failure) when the organisation has no such merge
     */
    public Uni<Map<String, Object>> status(String orgId, String mergeId) {
        return client.preparedQuery("select id, target_tag, source_tags, status, documents_moved, documents_skipped,"
                        + " reason, created_at, updated_at, finished_at from ingest.container_tag_merges"
                        + " where org_id = $1 and id = $2")
                .execute(Tuple.of(orgId, mergeId))
                .map(rows -> {
                    for (Row row : rows) {
                        Map<String, Object> body = new LinkedHashMap<>();
                        body.put("mergeId", row.getString("id"));
                        body.put("status", row.getString("status"));
                        body.put("targetTag", row.getString("target_tag"));
                        body.put("sourceTags", Arrays.asList(row.getArrayOfStrings("source_tags")));
                        body.put("documentsMoved", row.getInteger("documents_moved"));
                        body.put("documentsSkipped", row.getInteger("documents_skipped"));
                        body.put("reason", row.getString("reason"));
                        body.put("note", MEMORIES_NOTE);
                        body.put("createdAt", instant(row.getOffsetDateTime("created_at")));
                        body.put("updatedAt", instant(row.getOffsetDateTime("updated_at")));
                        body.put("finishedAt", instant(row.getOffsetDateTime("finished_at")));
                        return body;
                    }
                    throw new ResourceNotFoundException("No container tag merge '" + mergeId + "'");
                });
    }

    /**
     * Marks the merge running, if it is queued or was left running by a replica that stopped (not touched for
     * {@code staleSeconds}); {@code null} when another runner has it or it ended.
     */
    Uni<Merge> claim(String mergeId, long staleSeconds) {
        return client.preparedQuery(
                        "update ingest.container_tag_merges set status = 'running', updated_at = now()"
                                + " where id = $1 and (status = 'queued' or (status = 'running' and updated_at < now() -"
                                + " make_interval(secs => $2))) returning id, org_id, target_tag, source_tags, status, documents_moved")
                .execute(Tuple.of(mergeId, (double) staleSeconds))
                .map(rows -> {
                    for (Row row : rows) {
                        return new Merge(
                                row.getString("id"),
                                row.getString("org_id"),
                                row.getString("target_tag"),
                                Arrays.asList(row.getArrayOfStrings("source_tags")),
                                row.getString("status"),
                                row.getInteger("documents_moved"));
                    }
                    return null;
                });
    }

    /** Ids of unfinished merges that may need a runner: queued ones, and running ones not touched for a while. */
    Uni<List<String>> unfinished(long staleSeconds) {
        return client.preparedQuery(
                        "select id from ingest.container_tag_merges where status = 'queued' or"
                                + " (status = 'running' and updated_at < now() - make_interval(secs => $1)) order by created_at")
                .execute(Tuple.of((double) staleSeconds))
                .map(rows -> {
                    List<String> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getString(0)));
                    return ids;
                });
    }

    /** The next movable documents of the source tags after {@code afterId}, by id. */
    Uni<List<String>> nextDocuments(Merge merge, String afterId, int limit) {
        return client.preparedQuery("select id from ingest.documents where org_id = $1 and container_tag = any($2)"
                        + " and " + MOVABLE + " and id > $3 order by id limit $4")
                .execute(Tuple.of(merge.orgId(), merge.sourceTags().toArray(String[]::new), afterId, limit))
                .map(rows -> {
                    List<String> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getString(0)));
                    return ids;
                });
    }

    /** Records progress (and that the runner is alive). */
    Uni<Void> progress(Merge merge, int moved) {
        return client.preparedQuery("update ingest.container_tag_merges set documents_moved = $2, updated_at = now()"
                        + " where id = $1")
                .execute(Tuple.of(merge.id(), moved))
                .replaceWithVoid();
    }

    /**
     * Ends a merge {@code done}: counts the documents left in the source tags (skipped) and deletes the source tags
     * that have no document left.
     */
    Uni<Void> finish(Merge merge, int moved) {
        String[] sources = merge.sourceTags().toArray(String[]::new);
        return client.withTransaction(tx -> tx.preparedQuery("delete from ingest.container_tags c where c.org_id = $1"
                                + " and c.tag = any($2) and not exists (select 1 from ingest.documents d"
                                + " where d.org_id = c.org_id and d.container_tag = c.tag)")
                        .execute(Tuple.of(merge.orgId(), sources))
                        .flatMap(v -> tx.preparedQuery("update ingest.container_tag_merges set status = 'done',"
                                        + " documents_moved = $3, documents_skipped = (select count(*) from"
                                        + " ingest.documents where org_id = $2 and container_tag = any($4)),"
                                        + " reason = null, updated_at = now(), finished_at = now() where id = $1")
                                .execute(Tuple.of(merge.id(), merge.orgId(), moved, sources))))
                .replaceWithVoid();
    }

    /** Ends a merge {@code failed} with a reason; documents moved so far stay moved. */
    Uni<Void> fail(Merge merge, int moved, String reason) {
        return client.preparedQuery("update ingest.container_tag_merges set status = 'failed', documents_moved = $2,"
                        + " reason = $3, updated_at = now(), finished_at = now() where id = $1")
                .execute(Tuple.of(merge.id(), moved, reason))
                .replaceWithVoid();
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
