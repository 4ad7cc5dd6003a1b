package dev.engram.images;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * One entry of an image layer: a directory, a regular file or a symbolic link, at an absolute path of the image
 * ({@code /usr/lib}, never a trailing slash), with its permission bits and numeric owner.
 */
sealed interface LayerEntry {

    /** Root, the owner of everything but the service user's own directories. */
    int ROOT = 0;

    /** The absolute path in the image. */
    String path();

    /** The permission bits, {@code 0755}, {@code 01777}, ... */
    int mode();

    /** The owning user id. */
    int uid();

    /** The owning group id. */
    int gid();

    /** A directory. */
    record Directory(String path, int mode, int uid, int gid) implements LayerEntry {}

    /** A regular file whose bytes come from a file of the build machine or are given. */
    record RegularFile(String path, int mode, int uid, int gid, Path source, byte[] bytes) implements LayerEntry {

        public RegularFile {
            if ((source == null) == (bytes == null)) {
                throw new IllegalArgumentException(path + ": exactly one of a source file or bytes");
            }
        }

        /** A root-owned copy of a file of the build machine. */
        static RegularFile copyOf(String path, int mode, Path source) {
            return new RegularFile(path, mode, ROOT, ROOT, source, null);
        }

        /** A root-owned file with the given bytes. */
        static RegularFile of(String path, int mode, byte[] bytes) {
            return new RegularFile(path, mode, ROOT, ROOT, null, bytes.clone());
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof RegularFile that
                    && path.equals(that.path)
                    && mode == that.mode
                    && uid == that.uid
                    && gid == that.gid
                    && Objects.equals(source, that.source)
                    && Arrays.equals(bytes, that.bytes);
        }

        @Override
        public int hashCode() {
            return Objects.hash(path, mode, uid, gid, source, Arrays.hashCode(bytes));
        }
    }

    /** A symbolic link, root-owned; {@code target} as the link holds it (relative or absolute). */
    record Symlink(String path, String target) implements LayerEntry {

        @Override
        public int mode() {
            return 0777;
        }

        @Override
        public int uid() {
            return ROOT;
        }

        @Override
        public int gid() {
            return ROOT;
        }
    }
}
