package dev.engram.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The installed Debian packages of a machine, read from dpkg's database: the files of a package (what
 * {@code dpkg -L} lists) and its version. Nothing is downloaded: the base image takes the very files this machine
 * runs on.
 */
final class DebianPackages {

    /** The architecture the base image is for, as Debian names it. */
    static final String ARCHITECTURE = "amd64";

    private final Path root;

    /** @param root the file system root whose {@code var/lib/dpkg} is read, {@code /} but in tests */
    DebianPackages(Path root) {
        this.root = root;
    }

    /**
     * The paths a package installed, as dpkg recorded them (directories included; some under {@code /lib}, which
     * on a merged-/usr system is a link to {@code usr/lib}).
     *
     * @throws IllegalStateException if the package is not installed, or this machine has no dpkg database
     */
    List<String> files(String name) throws IOException {
        Path info = root.resolve("var/lib/dpkg/info");
        for (String file : List.of(name + ":" + ARCHITECTURE + ".list", name + ".list")) {
            Path list = info.resolve(file);
            if (Files.isRegularFile(list)) {
                return Files.readAllLines(list).stream()
                        .filter(line -> line.startsWith("/") && !line.equals("/."))
                        .toList();
            }
        }
        if (!Files.isDirectory(info)) {
            throw new IllegalStateException("no dpkg database at " + info + ": the base image is made from this"
                    + " machine's Debian packages; on another system build on a registry image instead"
                    + " (-Dengram.image.base=..., deploy/README.md, \"Images\")");
        }
        throw new IllegalStateException("Debian package " + name + " (" + ARCHITECTURE + ") is not installed;"
                + " install it (apt-get install " + name + ") or build on a registry image instead");
    }

    /**
     * The installed version of a package, from {@code var/lib/dpkg/status}.
     *
     * @throws IllegalStateException if it is not installed
     */
    String version(String name) throws IOException {
        Path status = root.resolve("var/lib/dpkg/status");
        String text = Files.exists(status) ? Files.readString(status) : "";
        for (String stanza : text.split("\n\n")) {
            String packageName = null;
            String architecture = null;
            String version = null;
            boolean installed = false;
            for (String line : stanza.split("\n")) {
                if (line.startsWith("Package: ")) {
                    packageName = line.substring("Package: ".length()).trim();
                } else if (line.startsWith("Architecture: ")) {
                    architecture = line.substring("Architecture: ".length()).trim();
                } else if (line.startsWith("Version: ")) {
                    version = line.substring("Version: ".length()).trim();
                } else if (line.startsWith("Status: ")) {
                    installed = line.trim().endsWith(" installed");
                }
            }
            boolean matchingArchitecture = ARCHITECTURE.equals(architecture) || "all".equals(architecture);
            if (name.equals(packageName) && matchingArchitecture && installed && version != null) {
                return version;
            }
        }
        throw new IllegalStateException("Debian package " + name + " is not installed (" + status + ")");
    }
}
