package dev.engram.search.api;

import dev.engram.core.filters.Filter;
import dev.engram.core.filters.FilterParser;
import dev.engram.search.api.SearchRequests.ProfileRequest;
import dev.engram.search.auth.RequestCaller;
import dev.engram.search.memories.MemoryQuery;
import dev.engram.search.memories.MemorySearch;
import dev.engram.search.profile.ProfileReader;
import dev.engram.search.query.Retrieval;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * {@code POST /v4/profile} (SDK {@code client.profile()}): a container tag's static and dynamic memories (see
 * {@link ProfileReader} for what each holds, its order and its cap), and with {@code q} the same results a
 * {@code /v4/search} memories query for {@code q} in that tag would give ({@code threshold} defaults to 0.6 as there,
 * {@code limit} 10, {@code retrieval} as there). {@code filters} applies to both. A tag with no memories has an empty
 * profile. The tag is one of the caller's organisation; a scoped key may leave it out (its own) and may not name
 * another.
 */
@Path("/")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ProfileResource {

    @Inject
    ProfileReader profiles;

    @Inject
    MemorySearch memorySearch;

    @Inject
    RequestCaller caller;

    @Inject
    SearchTimings timings;

    @POST
    @Path("v4/profile")
    public ProfileResponse profile(ProfileRequest request) {
        long requestStarted = System.nanoTime();
        if (request == null) {
            throw new InvalidRequestException("containerTag", "is required: send a JSON body");
        }
        String tag = TagScope.profileTag(caller.get(), request.containerTag());
        double threshold =
                RequestChecks.unitInterval("threshold", request.threshold(), SearchResource.DEFAULT_THRESHOLD);
        Filter filter = FilterParser.parse(request.filters(), "filters");
        String q = request.q() == null ? null : RequestChecks.query(request.q());
        Retrieval retrieval = RequestChecks.retrieval(request.retrieval());

        String orgId = caller.get().orgId();
        ProfileReader.Profile profile = profiles.read(orgId, tag, filter);
        SearchResponse<MemoryResult> searchResults = null;
        if (q != null) {
            long started = System.nanoTime();
            List<MemoryResult> results = memorySearch.search(new MemoryQuery(
                    orgId,
                    List.of(tag),
                    q,
                    threshold,
                    SearchResource.DEFAULT_LIMIT,
                    filter,
                    false,
                    false,
                    false,
                    false,
                    retrieval,
                    null));
            searchResults =
                    new SearchResponse<>(results, (System.nanoTime() - started) / 1_000_000, results.size(), List.of());
        }
        timings.record("/v4/profile", q == null ? "profile" : "profile-search", retrieval, requestStarted);
        return new ProfileResponse(
                new ProfileResponse.Profile(profile.staticMemories(), profile.dynamicMemories()), searchResults);
    }
}
