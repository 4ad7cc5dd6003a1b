package dev.engram.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A merged-/usr machine in a directory: {@code /lib -> usr/lib}, a library and its soname link. */
class HostFilesTest {

    @TempDir
    Path root;

    @Test
    void aFileUnderALinkedDirectoryLandsWhereTheLinkLeadsAndTheLinkComesAlong() throws IOException {
        Path libDir = Files.createDirectories(root.resolve("usr/lib/x86_64-linux-gnu"));
        Files.createSymbolicLink(root.resolve("lib"), Path.of("usr/lib"));
        Path library = Files.writeString(libDir.resolve("libz.so.1.2.13"), "elf");
        Files.setPosixFilePermissions(library, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(libDir.resolve("libz.so.1"), Path.of("libz.so.1.2.13"));
        Layer layer = new Layer("os");
        HostFiles files = new HostFiles(root);

        assertThat(files.copy("/lib/x86_64-linux-gnu/libz.so.1.2.13", layer)).isTrue();
        assertThat(files.copy("/lib/x86_64-linux-gnu/libz.so.1", layer)).isTrue();
        assertThat(files.copy("/lib/x86_64-linux-gnu", layer)).isFalse();

        assertThat(layer.entry("/lib")).isEqualTo(new LayerEntry.Symlink("/lib", "usr/lib"));
        assertThat(layer.entry("/usr/lib/x86_64-linux-gnu/libz.so.1"))
                .isEqualTo(new LayerEntry.Symlink("/usr/lib/x86_64-linux-gnu/libz.so.1", "libz.so.1.2.13"));
        assertThat(layer.entry("/usr/lib/x86_64-linux-gnu/libz.so.1.2.13"))
                .isEqualTo(LayerEntry.RegularFile.copyOf("/usr/lib/x86_64-linux-gnu/libz.so.1.2.13", 0755, library));
        assertThat(layer.entry("/lib/x86_64-linux-gnu/libz.so.1")).isNull();

        ImageTree tree = new ImageTree();
        tree.apply(layer);
        assertThat(tree.resolve("/lib/x86_64-linux-gnu/libz.so.1")).isInstanceOf(LayerEntry.RegularFile.class);
    }

    @Test
    void aGeneratedFileBehindLinksIsCopiedAsAPlainFile() throws IOException {
        Path bundle = Files.writeString(
                Files.createDirectories(root.resolve("usr/share/ca")).resolve("bundle.crt"), "-----BEGIN");
        Files.createDirectories(root.resolve("etc/ssl/certs"));
        Files.createSymbolicLink(root.resolve("etc/ssl/certs/ca-certificates.crt"), bundle);
        Layer layer = new Layer("os");

        new HostFiles(root).copyFollowingLinks("/etc/ssl/certs/ca-certificates.crt", layer);

        assertThat(layer.entry("/etc/ssl/certs/ca-certificates.crt")).isInstanceOf(LayerEntry.RegularFile.class);
        assertThatThrownBy(() -> new HostFiles(root).copyFollowingLinks("/etc/missing.crt", layer))
                .hasMessageContaining("no file");
    }

    @Test
    void aLinkThatLeadsNowhereInTheImageFailsTheBaseImage() {
        Layer layer = new Layer("os")
                .add(new LayerEntry.Symlink("/lib", "usr/lib"))
                .add(new LayerEntry.Symlink("/usr/lib/libstdc++.so.6", "libstdc++.so.6.0.30"));

        assertThatThrownBy(() -> BaseImage.checkLinksResolve(List.of(layer)))
                .hasMessageContaining("/usr/lib/libstdc++.so.6 -> libstdc++.so.6.0.30 leads nowhere");

        layer.add(LayerEntry.RegularFile.of("/usr/lib/libstdc++.so.6.0.30", 0644, LayerTest.bytes("elf")));
        BaseImage.checkLinksResolve(List.of(layer));
    }
}
