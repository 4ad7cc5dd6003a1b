package dev.engram.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DebianPackagesTest {

    @TempDir
    Path root;

    @Test
    void filesAndVersionComeFromDpkgsDatabase() throws IOException {
        Path info = Files.createDirectories(root.resolve("var/lib/dpkg/info"));
        Files.writeString(info.resolve("zlib1g:amd64.list"), "/.\n/lib\n/lib/x86_64-linux-gnu/libz.so.1\n");
        Files.writeString(info.resolve("ca-certificates.list"), "/.\n/etc/ca-certificates.conf\n");
        Files.writeString(root.resolve("var/lib/dpkg/status"), """
                Package: zlib1g
                Status: install ok installed
                Architecture: arm64
                Version: 1:1.2.13.dfsg-0

                Package: zlib1g
                Status: install ok installed
                Architecture: amd64
                Version: 1:1.2.13.dfsg-1

                Package: ca-certificates
                Status: deinstall ok config-files
                Architecture: all
                Version: 20230311
                """);
        DebianPackages packages = new DebianPackages(root);

        assertThat(packages.files("zlib1g")).containsExactly("/lib", "/lib/x86_64-linux-gnu/libz.so.1");
        assertThat(packages.files("ca-certificates")).containsExactly("/etc/ca-certificates.conf");
        assertThat(packages.version("zlib1g")).isEqualTo("1:1.2.13.dfsg-1");
        assertThatThrownBy(() -> packages.version("ca-certificates")).hasMessageContaining("not installed");
        assertThatThrownBy(() -> packages.files("libstdc++6")).hasMessageContaining("apt-get install libstdc++6");
    }

    @Test
    void aMachineWithoutDpkgIsToldToBuildOnARegistryImage() {
        assertThatThrownBy(() -> new DebianPackages(root).files("libc6"))
                .hasMessageContaining("no dpkg database")
                .hasMessageContaining("-Dengram.image.base=");
    }
}
