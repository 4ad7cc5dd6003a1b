package dev.engram.search.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The body of {@code POST /v4/profile} (SDK {@code ProfileResponse}).
 *
 * @param searchResults the {@code /v4/search} memories answer for {@code q}; left out without {@code q}
 */
public record ProfileResponse(
        Profile profile,
        @JsonInclude(JsonInclude.Include.NON_NULL) SearchResponse<MemoryResult> searchResults) {

    /** The memory texts of each part, in the order described on {@link dev.engram.search.profile.ProfileReader}. */
    public record Profile(
            @JsonProperty("static") List<String> staticMemories,
            @JsonProperty("dynamic") List<String> dynamicMemories) {}
}
