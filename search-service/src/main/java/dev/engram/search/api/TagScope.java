package dev.engram.search.api;

import dev.engram.core.auth.Caller;
import java.util.List;

/**
 * The container tags a request may search, by who calls: what the request names for an unscoped key; for a scoped key
 * its own tag, whether the request named it or none (a scoped search never spans the organisation), and a 403 if the
 * request names another. Tags are checked for form (400) before scope (403).
 */
final class TagScope {

    private TagScope() {}

    /** The tags of a search's {@code containerTag} and {@code containerTags}; empty means every tag of the org. */
    static List<String> searchTags(Caller caller, String containerTag, List<String> containerTags) {
        List<String> named = RequestChecks.containerTags(containerTag, containerTags);
        if (!caller.scoped()) {
            return named;
        }
        caller.tag(containerTag, "containerTag");
        caller.tags(containerTags, "containerTags");
        return List.of(caller.containerTag());
    }

    /** The one tag of a profile request; a scoped key may leave it out. */
    static String profileTag(Caller caller, String containerTag) {
        if (caller.scoped() && containerTag == null) {
            return caller.containerTag();
        }
        return caller.tag(RequestChecks.requiredTag("containerTag", containerTag), "containerTag");
    }
}
