package dev.engram.search.profile;

import dev.engram.core.filters.Filter;
import dev.engram.core.filters.MetadataFilterSql;
import dev.engram.search.query.SearchStorageException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The two parts of a container tag's profile, read from memory-writer's {@code writer.memories} (read only), one
 * query each whatever the number of memories. Only latest, unforgotten, unexpired memories count; the metadata
 * filter, when given, is applied in SQL.
 *
 * <ul>
 *   <li>{@code static}: memories marked {@code is_static}, most often observed ({@code source_count}) first, then
 *       most recently updated; at most {@link #STATIC_CAP}.
 *   <li>{@code dynamic}: the other memories, most recently updated first; at most {@link #DYNAMIC_CAP}.
 * </ul>
 */
@ApplicationScoped
public class ProfileReader {

    /** Most static memories in a profile. */
    public static final int STATIC_CAP = 50;

    /** Most dynamic memories in a profile. */
    public static final int DYNAMIC_CAP = 20;

    @Inject
    DataSource dataSource;

    Clock clock = Clock.systemUTC();

    /** A profile: each part's memory texts, in order. */
    public record Profile(List<String> staticMemories, List<String> dynamicMemories) {}

    /** The profile of {@code containerTag}; empty parts for a tag with no memories. */
    public Profile read(String orgId, String containerTag, Filter filter) {
        Timestamp now = Timestamp.from(clock.instant());
        List<String> statics =
                part(orgId, containerTag, filter, now, true, "source_count desc, updated_at desc, id", STATIC_CAP);
        List<String> dynamics = part(orgId, containerTag, filter, now, false, "updated_at desc, id", DYNAMIC_CAP);
        return new Profile(statics, dynamics);
    }

    private List<String> part(
            String orgId, String tag, Filter filter, Timestamp now, boolean isStatic, String order, int cap) {
        List<Object> parameters = new ArrayList<>(List.of(orgId, tag, isStatic, now));
        StringBuilder sql = new StringBuilder("select memory from writer.memories"
                + " where org_id = ? and container_tag = ? and is_static = ? and is_latest and not is_forgotten"
                + " and (forget_after is null or forget_after > ?)");
        if (filter != null) {
            String condition = new MetadataFilterSql("metadata", parameters, MetadataFilterSql.Placeholders.POSITIONAL)
                    .toSql(filter);
            sql.append(" and ").append(condition);
        }
        // order is one of this class's constants, never input
        sql.append(" order by ").append(order).append(" limit ?");
        parameters.add(cap);
        List<String> memories = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    memories.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new SearchStorageException("reading the profile failed", e);
        }
        return memories;
    }
}
