package dev.engram.images;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * The entries of one image layer, by path, written as a reproducible tar: entries in path order (a directory before
 * what it holds), every time stamp the epoch, numeric owners only. A parent directory nobody added is a root-owned
 * {@code 0755} directory; adding it explicitly later (a sticky {@code /tmp}) replaces that default.
 */
final class Layer {

    private static final int TYPE_DIRECTORY = 0040000;
    private static final int TYPE_FILE = 0100000;
    private static final int TYPE_SYMLINK = 0120000;

    private final String name;
    private final SortedMap<String, LayerEntry> entries = new TreeMap<>();
    private final Set<String> implicitDirectories = new HashSet<>();

    /** @param name what the layer holds, for the image's history ({@code "os"}, {@code "java"}) */
    Layer(String name) {
        this.name = name;
    }

    /** What the layer holds. */
    String name() {
        return name;
    }

    /** The entries in the order they are written. */
    Collection<LayerEntry> entries() {
        return entries.values();
    }

    /** The entry at a path, or {@code null}. */
    LayerEntry entry(String path) {
        return entries.get(path);
    }

    /**
     * Adds an entry and, as root-owned {@code 0755} directories, its parents that are not there yet.
     *
     * @throws IllegalArgumentException for a path that is not absolute and normal, a parent that is not a directory,
     *     or a second, different entry at the same path
     */
    Layer add(LayerEntry entry) {
        String path = entry.path();
        if (!path.startsWith("/") || path.equals("/") || path.endsWith("/") || !path.equals(normalize(path))) {
            throw new IllegalArgumentException("not an absolute, normal path in the image: '" + path + "'");
        }
        addParents(path);
        LayerEntry present = entries.get(path);
        if (present != null && !present.equals(entry)) {
            boolean replacesDefault = implicitDirectories.contains(path) && entry instanceof LayerEntry.Directory;
            if (!replacesDefault) {
                throw new IllegalArgumentException("two different entries for " + path + ": " + present + ", " + entry);
            }
        }
        implicitDirectories.remove(path);
        entries.put(path, entry);
        return this;
    }

    private void addParents(String path) {
        int slash = path.lastIndexOf('/');
        if (slash == 0) {
            return;
        }
        String parent = path.substring(0, slash);
        LayerEntry present = entries.get(parent);
        if (present == null) {
            addParents(parent);
            entries.put(parent, new LayerEntry.Directory(parent, 0755, LayerEntry.ROOT, LayerEntry.ROOT));
            implicitDirectories.add(parent);
        } else if (!(present instanceof LayerEntry.Directory)) {
            throw new IllegalArgumentException(path + ": its parent " + parent + " is not a directory but " + present);
        }
    }

    /** Writes the layer as an uncompressed tar; {@code out} stays open. */
    void writeTar(OutputStream out) throws IOException {
        try (TarArchiveOutputStream tar =
                new TarArchiveOutputStream(new KeepOpen(out), StandardCharsets.UTF_8.name())) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (LayerEntry entry : entries.values()) {
                writeEntry(tar, entry);
            }
            tar.finish();
        }
    }

    private static void writeEntry(TarArchiveOutputStream tar, LayerEntry entry) throws IOException {
        String name = entry.path().substring(1);
        TarArchiveEntry header = switch (entry) {
            case LayerEntry.Directory directory -> {
                TarArchiveEntry h = new TarArchiveEntry(name + "/", TarConstants.LF_DIR);
                h.setMode(TYPE_DIRECTORY | directory.mode());
                yield h;
            }
            case LayerEntry.RegularFile file -> {
                TarArchiveEntry h = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
                h.setMode(TYPE_FILE | file.mode());
                h.setSize(file.bytes() != null ? file.bytes().length : Files.size(file.source()));
                yield h;
            }
            case LayerEntry.Symlink link -> {
                TarArchiveEntry h = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
                h.setMode(TYPE_SYMLINK | link.mode());
                h.setLinkName(link.target());
                yield h;
            }
        };
        header.setModTime(FileTime.fromMillis(0));
        header.setUserId(entry.uid());
        header.setGroupId(entry.gid());
        header.setUserName("");
        header.setGroupName("");
        tar.putArchiveEntry(header);
        if (entry instanceof LayerEntry.RegularFile file) {
            if (file.bytes() != null) {
                tar.write(file.bytes());
            } else {
                try (InputStream in = Files.newInputStream(file.source())) {
                    in.transferTo(tar);
                }
            }
        }
        tar.closeArchiveEntry();
    }

    /** {@code /a/./b/../c} → {@code /a/c}; {@code ..} above the root stays at the root, as in a path lookup. */
    static String normalize(String absolutePath) {
        StringBuilder out = new StringBuilder();
        for (String part : absolutePath.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                int slash = out.lastIndexOf("/");
                out.setLength(Math.max(slash, 0));
            } else {
                out.append('/').append(part);
            }
        }
        return out.isEmpty() ? "/" : out.toString();
    }

    /** Lets the tar writer finish without closing the stream beneath it. */
    private static final class KeepOpen extends java.io.FilterOutputStream {

        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
