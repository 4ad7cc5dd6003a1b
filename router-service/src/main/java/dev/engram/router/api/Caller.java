package dev.engram.router.api;

import dev.engram.core.documents.ContainerTags;
import dev.engram.core.documents.DocumentIds;
import dev.engram.router.chat.ChatRequest;
import java.util.Optional;

/**
 * Who a request is for: the user scope memories are read from and written to (a container tag) and the conversation
 * its turns belong to.
 *
 * @param scope the container tag: {@code x-sm-user-id}, else the body's user ({@link #fromBodyUser}), else {@code
 *     ?userId=}; empty when none was given (the request is then forwarded without memory)
 * @param conversationId {@code x-sm-conversation-id}, else one derived from the scope and the thread's first user
 *     turn (so a client resending its whole history keeps one conversation)
 * @param conversationIdGiven whether the client named the conversation
 */
public record Caller(Optional<String> scope, String conversationId, boolean conversationIdGiven) {

    /** Header naming the user scope. */
    public static final String USER_HEADER = "x-sm-user-id";

    /** Header naming the conversation. */
    public static final String CONVERSATION_HEADER = "x-sm-conversation-id";

    /** Query parameter naming the user scope. */
    public static final String USER_PARAM = "userId";

    /**
     * Reads the caller from the request.
     *
     * @throws InvalidCallerException if a given scope or conversation id breaks the container-tag rules
     */
    public static Caller of(String userHeader, String userParam, String conversationHeader, ChatRequest request) {
        return of(userHeader, userParam, conversationHeader, request, null);
    }

    /**
     * Reads the caller from the request, for the Engram key {@code identity}: a scoped key's requests are for its one
     * container tag, whether they name none or that one.
     *
     * @throws InvalidCallerException if a given scope or conversation id breaks the container-tag rules
     * @throws dev.engram.core.auth.ScopeViolationException if a scoped key names another user scope
     */
    public static Caller of(
            String userHeader,
            String userParam,
            String conversationHeader,
            ChatRequest request,
            dev.engram.core.auth.Caller identity) {
        Optional<String> named = present(userHeader)
                .map(tag -> checked(tag, USER_HEADER))
                .or(() -> request.user().map(String::strip).map(Caller::fromBodyUser))
                .or(() -> present(userParam).map(tag -> checked(tag, "?" + USER_PARAM + "=")));
        Optional<String> scope = identity == null || !identity.scoped()
                ? named
                : Optional.of(identity.tag(named.orElse(null), USER_HEADER));
        Optional<String> given = present(conversationHeader);
        given.ifPresent(id -> ContainerTags.problem(id).ifPresent(problem -> {
            throw new InvalidCallerException("conversation_id", CONVERSATION_HEADER + " " + problem);
        }));
        String conversationId = given.orElseGet(() -> "conv_"
                + DocumentIds.derived(
                        "router-conversation",
                        scope.orElse(""),
                        request.firstUserText().orElse("")));
        return new Caller(scope, conversationId, given.isPresent());
    }

    /**
     * The scope for the body's user, a provider field that clients fill with any id (often an e-mail address): used
     * as it is when it is a valid container tag, else as {@code user_<hash>} of it, so the same user always gets the
     * same scope and the request is not refused for a field that was never meant for Engram.
     */
    static String fromBodyUser(String user) {
        return ContainerTags.problem(user).isEmpty() ? user : "user_" + DocumentIds.derived("router-user", user);
    }

    private static String checked(String tag, String source) {
        ContainerTags.problem(tag).ifPresent(problem -> {
            throw new InvalidCallerException("user_id", "the user id in " + source + " " + problem);
        });
        return tag;
    }

    private static Optional<String> present(String value) {
        return Optional.ofNullable(value).map(String::strip).filter(text -> !text.isEmpty());
    }

    /** A scope or conversation id the router cannot use; the message names the header. */
    public static final class InvalidCallerException extends RuntimeException {

        private final String code;

        InvalidCallerException(String code, String message) {
            super(message, null, false, false);
            this.code = "invalid_" + code;
        }

        public String code() {
            return code;
        }
    }
}
