package org.openprefect.cli.server;

import org.openprefect.cli.common.Console;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The image's class cache in the volume (docs/container.md): the image's entrypoint names the cache
 * for this image in {@value #CACHE} and the command that trains it in {@value #TRAINER}, and maps the
 * cache when the file exists. Beside a server that started without it, this runs the training
 * ({@code server train-class-cache}) at the lowest CPU priority, so the server's first requests come
 * first; the training's JVM writes the cache when it ends. Without the variables, as from ./prefect,
 * nothing happens.
 */
final class ClassCacheTraining {
    static final String CACHE = "OPENPREFECT_CLASS_CACHE";
    static final String TRAINER = "OPENPREFECT_CLASS_CACHE_TRAINER";
    private final Process process;

    private ClassCacheTraining(Process process) {
        this.process = process;
    }

    static Optional<ClassCacheTraining> startIfNeeded(Map<String, String> env, Console console) {
        String cache = env.get(CACHE);
        String trainer = env.get(TRAINER);
        if (cache == null || cache.isBlank() || trainer == null || trainer.isBlank()) {
            return Optional.empty();
        }
        Path file = Path.of(cache);
        if (Files.isRegularFile(file)) {
            // The JVM says "sharing" when it mapped the cache; one it cannot use (trained under other
            // JAVA_OPTS, or damaged) it ignores silently, and every start would then go without any.
            if (System.getProperty("java.vm.info", "").contains("sharing")) {
                return Optional.empty();
            }
            console.warn("The class cache " + file + " could not be used (trained under other JAVA_OPTS?); it is trained again.");
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                console.warn("It could not be removed (" + e.getMessage() + "); remove it to start faster.");
                return Optional.empty();
            }
        }
        ProcessBuilder builder = new ProcessBuilder("nice", "-n", "19", trainer, "server", "train-class-cache")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().remove(CACHE);
        builder.environment().remove(TRAINER);
        try {
            return Optional.of(new ClassCacheTraining(builder.start()));
        } catch (IOException e) {
            console.warn("The class cache's training could not start (" + e.getMessage() + "); the server runs without it.");
            return Optional.empty();
        }
    }

    /**
     * Killed, not asked to stop: a JVM asked to exit would first write its cache (seconds); what a
     * killed training leaves is removed by the next start.
     */
    void stop() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
