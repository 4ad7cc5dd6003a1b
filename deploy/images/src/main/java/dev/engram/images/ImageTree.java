package dev.engram.images;

import java.util.HashMap;
import java.util.Map;

/** The file system some layers add up to (a later layer's entry wins), to follow symbolic links in it. */
final class ImageTree {

    private static final int MAX_LINKS = 40;

    private final Map<String, LayerEntry> entries = new HashMap<>();

    /** Lays a layer over what is there. */
    void apply(Layer layer) {
        for (LayerEntry entry : layer.entries()) {
            entries.put(entry.path(), entry);
        }
    }

    /**
     * What a path leads to, every link on the way followed (relative targets from the link's directory, absolute
     * ones from the image's root); {@code null} if nothing.
     */
    LayerEntry resolve(String path) {
        return resolve(Layer.normalize(path), 0);
    }

    private LayerEntry resolve(String path, int links) {
        if (links > MAX_LINKS) {
            return null;
        }
        if (path.equals("/")) {
            return new LayerEntry.Directory("/", 0755, LayerEntry.ROOT, LayerEntry.ROOT);
        }
        String[] parts = path.substring(1).split("/");
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            String next = current + "/" + parts[i];
            LayerEntry entry = entries.get(next);
            if (entry == null) {
                return null;
            }
            if (entry instanceof LayerEntry.Symlink link) {
                String target = link.target().startsWith("/") ? link.target() : current + "/" + link.target();
                StringBuilder rest = new StringBuilder(target);
                for (int j = i + 1; j < parts.length; j++) {
                    rest.append('/').append(parts[j]);
                }
                return resolve(Layer.normalize(rest.toString()), links + 1);
            }
            current.append('/').append(parts[i]);
        }
        return entries.get(current.toString());
    }
}
