package dev.engram.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

class LayerTest {

    @Test
    void parentsComeFirstAsRootOwnedDirectoriesAndAnExplicitDirectoryReplacesTheDefault() throws IOException {
        Layer layer = new Layer("os")
                .add(LayerEntry.RegularFile.of("/tmp/x/note", 0644, bytes("hi")))
                .add(new LayerEntry.Directory("/tmp", 01777, 0, 0))
                .add(new LayerEntry.Directory("/home/engram", 0755, 185, 185));

        List<TarArchiveEntry> entries = read(tar(layer));

        assertThat(entries)
                .extracting(TarArchiveEntry::getName)
                .containsExactly("home/", "home/engram/", "tmp/", "tmp/x/", "tmp/x/note");
        assertThat(entries.get(2).getMode() & 07777).isEqualTo(01777);
        assertThat(entries.get(1).getLongUserId()).isEqualTo(185);
        assertThat(entries.get(3).getMode() & 07777).isEqualTo(0755);
        assertThat(entries.get(3).getLongUserId()).isZero();
    }

    @Test
    void theSameEntriesGiveTheSameBytesWithEpochTimesAndNumericOwnersOnly() throws IOException {
        Layer layer = new Layer("os")
                .add(new LayerEntry.Symlink("/lib", "usr/lib"))
                .add(LayerEntry.RegularFile.of("/usr/lib/libz.so.1", 0755, bytes("elf")));

        byte[] first = tar(layer);

        assertThat(tar(layer)).isEqualTo(first);
        for (TarArchiveEntry entry : read(first)) {
            assertThat(entry.getModTime().getTime()).isZero();
            assertThat(entry.getUserName()).isEmpty();
            assertThat(entry.getGroupName()).isEmpty();
        }
        TarArchiveEntry link = read(first).stream()
                .filter(e -> e.getName().equals("lib"))
                .findFirst()
                .orElseThrow();
        assertThat(link.isSymbolicLink()).isTrue();
        assertThat(link.getLinkName()).isEqualTo("usr/lib");
    }

    @Test
    void twoDifferentEntriesAtOnePathAreRefused() {
        Layer layer = new Layer("os").add(LayerEntry.RegularFile.of("/etc/passwd", 0644, bytes("a")));

        assertThatThrownBy(() -> layer.add(LayerEntry.RegularFile.of("/etc/passwd", 0644, bytes("b"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/etc/passwd");
        layer.add(LayerEntry.RegularFile.of("/etc/passwd", 0644, bytes("a")));
    }

    @Test
    void aFileBelowALinkOrAPathThatIsNotNormalIsRefused() {
        Layer layer = new Layer("os").add(new LayerEntry.Symlink("/lib", "usr/lib"));

        assertThatThrownBy(() -> layer.add(LayerEntry.RegularFile.of("/lib/libc.so.6", 0755, bytes("elf"))))
                .hasMessageContaining("not a directory");
        assertThatThrownBy(() -> layer.add(new LayerEntry.Directory("usr/lib", 0755, 0, 0)))
                .hasMessageContaining("not an absolute, normal path");
        assertThatThrownBy(() -> layer.add(new LayerEntry.Directory("/usr/../etc", 0755, 0, 0)))
                .hasMessageContaining("not an absolute, normal path");
    }

    @Test
    void normalizingFollowsDotsWithinTheRoot() {
        assertThat(Layer.normalize("/usr/lib/../lib64/./ld.so")).isEqualTo("/usr/lib64/ld.so");
        assertThat(Layer.normalize("/../../etc")).isEqualTo("/etc");
        assertThat(Layer.normalize("/")).isEqualTo("/");
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] tar(Layer layer) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        layer.writeTar(out);
        return out.toByteArray();
    }

    static List<TarArchiveEntry> read(byte[] tar) throws IOException {
        List<TarArchiveEntry> entries = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                entries.add(entry);
            }
        }
        return entries;
    }
}
