package dev.engram.router.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engram.core.net.SpecialAddresses;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpstreamPolicyTest {

    /** Names resolve from this table only: no DNS in unit tests. */
    private static final Map<String, String> DNS = Map.of(
            "api.openai.com", "104.18.7.192",
            "llm.corp.example", "10.1.2.3",
            "gpu.lan", "192.168.1.20",
            "sneaky.example", "::ffff:127.0.0.1",
            "six.example", "fd00::1",
            "public.example", "2606:4700::6810:85e5");

    private final UpstreamPolicy policy = new UpstreamPolicy(
            List.of("llm.corp.example", "gpu.lan", "sneaky.example", "six.example", "*.example"),
            List.of("gpu.lan"),
            UpstreamPolicyTest::resolve);

    @Test
    void aWellKnownProviderIsAllowedAndPinnedToItsCheckedAddress() throws Exception {
        UpstreamTarget target = policy.check(URI.create("https://api.openai.com/v1/"), "/chat/completions?x=1");

        assertThat(target.ssl()).isTrue();
        assertThat(target.host()).isEqualTo("api.openai.com");
        assertThat(target.port()).isEqualTo(443);
        assertThat(target.path()).isEqualTo("/v1/chat/completions?x=1");
        assertThat(target.address()).isEqualTo(InetAddress.getByName("104.18.7.192"));
    }

    @Test
    void hostsOffTheAllowListAreRefusedWhateverTheyResolveTo() {
        assertThatThrownBy(() -> policy.check(URI.create("https://api.openai.com.evil.net/v1"), "/messages"))
                .isInstanceOf(UpstreamRefusedException.class)
                .hasMessageContaining("not on this router's allow-list");
    }

    @Test
    void allowListedHostsResolvingToPrivateAddressesAreRefusedUnlessConfiguredPrivate() {
        assertThatThrownBy(() -> policy.check(URI.create("http://llm.corp.example/v1"), ""))
                .hasMessageContaining("resolves to a private address");
        assertThatThrownBy(() -> policy.check(URI.create("http://sneaky.example/v1"), ""))
                .hasMessageContaining("loopback");
        assertThatThrownBy(() -> policy.check(URI.create("http://six.example/v1"), ""))
                .hasMessageContaining("unique local");
        assertThat(policy.check(URI.create("http://gpu.lan:11434/v1"), "").port())
                .isEqualTo(11434);
        assertThat(policy.check(URI.create("https://public.example/v1"), "").host())
                .isEqualTo("public.example");
    }

    @Test
    void theMetadataServiceAndIpv6FormsOfLoopbackAreNotPublic() throws Exception {
        assertThat(SpecialAddresses.forbiddenReason(InetAddress.getByName("169.254.169.254")))
                .hasValueSatisfying(reason -> assertThat(reason).contains("link-local"));
        assertThat(SpecialAddresses.forbiddenReason(InetAddress.getByName("::1")))
                .hasValue("a loopback address");
        assertThat(SpecialAddresses.forbiddenReason(InetAddress.getByName("::127.0.0.1")))
                .isPresent();
        assertThat(SpecialAddresses.forbiddenReason(InetAddress.getByName("64:ff9b::a00:1")))
                .isPresent();
        assertThat(SpecialAddresses.forbiddenReason(InetAddress.getByName("2002:7f00:1::")))
                .isPresent();
        assertThat(SpecialAddresses.forbiddenReason(InetAddress.getByName("100.64.0.1")))
                .isPresent();
        assertThat(SpecialAddresses.forbiddenReason(InetAddress.getByName("8.8.8.8")))
                .isEmpty();
        assertThat(SpecialAddresses.forbiddenReason(InetAddress.getByName("2606:4700::1")))
                .isEmpty();
    }

    @Test
    void credentialsAndOtherSchemesAreRefusedAsBadUrls() {
        assertThatThrownBy(() -> policy.check(URI.create("https://user:pw@api.openai.com/v1"), ""))
                .isInstanceOfSatisfying(
                        UpstreamRefusedException.class,
                        e -> assertThat(e.badUrl()).isTrue());
        assertThatThrownBy(() -> policy.check(URI.create("file:///etc/passwd"), ""))
                .isInstanceOfSatisfying(
                        UpstreamRefusedException.class,
                        e -> assertThat(e.badUrl()).isTrue());
    }

    @Test
    void readsTheProviderUrlInTheFormsAPathCarriesIt() {
        assertThat(UpstreamPolicy.parseBaseUrl("https://api.openai.com/v1"))
                .isEqualTo(URI.create("https://api.openai.com/v1"));
        assertThat(UpstreamPolicy.parseBaseUrl("https:/api.openai.com/v1"))
                .isEqualTo(URI.create("https://api.openai.com/v1"));
        assertThat(UpstreamPolicy.parseBaseUrl("https%3A%2F%2Fapi.groq.com%2Fopenai%2Fv1"))
                .isEqualTo(URI.create("https://api.groq.com/openai/v1"));
        assertThat(UpstreamPolicy.parseBaseUrl("openrouter.ai/api/v1"))
                .isEqualTo(URI.create("https://openrouter.ai/api/v1"));
        assertThatThrownBy(() -> UpstreamPolicy.parseBaseUrl("https://")).isInstanceOf(UpstreamRefusedException.class);
    }

    private static InetAddress[] resolve(String host) throws UnknownHostException {
        String address = DNS.get(host);
        if (address == null) {
            throw new UnknownHostException(host);
        }
        return new InetAddress[] {InetAddress.getByName(address)};
    }
}
