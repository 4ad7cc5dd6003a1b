package dev.engram.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CallerTest {

    private final Caller admin = new Caller("key_a", "org_a", KeyRole.ADMIN, null, null);
    private final Caller scoped = new Caller("key_s", "org_a", KeyRole.SCOPED, "user_1", RateLimit.SCOPED_DEFAULT);

    @Test
    void anUnscopedCallerGetsWhatItAskedFor() {
        assertThat(admin.tag("anything", "containerTag")).isEqualTo("anything");
        assertThat(admin.tag(null, "containerTag")).isNull();
        assertThat(admin.tags(List.of("a", "b"), "containerTags")).containsExactly("a", "b");
        assertThat(admin.reaches(List.of("x"))).isTrue();
        admin.checkEndpoint("/v3/settings");
        admin.checkAdmin("create keys");
    }

    @Test
    void aScopedCallerIsAutoScopedAndRefusedOtherTags() {
        assertThat(scoped.tag(null, "containerTag")).isEqualTo("user_1");
        assertThat(scoped.tag("", "containerTag")).isEqualTo("user_1");
        assertThat(scoped.tag("user_1", "containerTag")).isEqualTo("user_1");
        assertThat(scoped.tags(null, "containerTags")).containsExactly("user_1");
        assertThat(scoped.tags(List.of("user_1", "user_1"), "containerTags")).containsExactly("user_1");

        assertThatThrownBy(() -> scoped.tag("user_2", "containerTag"))
                .isInstanceOf(ScopeViolationException.class)
                .hasMessageContaining("'containerTag' names 'user_2'");
        assertThatThrownBy(() -> scoped.tags(List.of("user_1", "user_2"), "containerTags"))
                .isInstanceOf(ScopeViolationException.class);
        assertThat(scoped.reaches(List.of("user_2"))).isFalse();
        assertThat(scoped.reaches(List.of("user_2", "user_1"))).isTrue();
        assertThat(scoped.reaches(null)).isFalse();
    }

    @Test
    void aScopedCallerReachesOnlyTheDocumentedEndpointsAndNoAdministration() {
        scoped.checkEndpoint("/v3/documents/abc/chunks");
        scoped.checkEndpoint("/v4/profile");
        assertThatThrownBy(() -> scoped.checkEndpoint("/v3/settings")).isInstanceOf(ScopeViolationException.class);
        assertThatThrownBy(() -> scoped.checkEndpoint("/v3/documentsX")).isInstanceOf(ScopeViolationException.class);
        assertThatThrownBy(() -> scoped.checkEndpoint("/v3/documents/../settings"))
                .isInstanceOf(ScopeViolationException.class);
        assertThatThrownBy(() -> scoped.checkAdmin("create keys"))
                .isInstanceOf(ScopeViolationException.class)
                .hasMessage("A scoped API key cannot create keys.");
    }

    @Test
    void onlyScopedCallersCarryATag() {
        assertThatThrownBy(() -> new Caller("k", "o", KeyRole.ADMIN, "t", null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Caller("k", "o", KeyRole.SCOPED, null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
