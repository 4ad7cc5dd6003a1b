package dev.engram.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

    @Test
    void keysAreLongRandomAndPrefixed() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            String key = ApiKeys.generate();
            assertThat(key).startsWith("em_").hasSize(46).matches("em_[0-9A-Za-z]{43}");
            seen.add(key);
        }
        assertThat(seen).hasSize(1_000);
    }

    @Test
    void theHashIsSha256HexAndTheHintHidesTheSecret() {
        assertThat(ApiKeys.hash("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        String key = ApiKeys.generate();
        assertThat(ApiKeys.hint(key))
                .startsWith(key.substring(0, 7))
                .endsWith(key.substring(42))
                .hasSize(12);
    }
}
