import java.io.IOException;
import java.io.OutputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Rewrites the Java 5 class files of a jar as Java 8 class files, in place: the same instructions,
 * with the stack-map frames that class files from Java 7 on carry, computed by the JDK's own
 * Class-File API. Run by the build (ops-cli/pom.xml) on picocli's jar, with the JDK's source launcher
 * (JDK 24 or newer: {@code java build-config/LinkableClassFiles.java JAR}).
 *
 * <p>Why: a JVM's class-data archive and AOT cache hold no class older than Java 6 once it has been
 * linked ("Skipping picocli/...: Old class has been linked"), and picocli is compiled for Java 5. So
 * every {@code prefect server start} loaded, verified and linked picocli's 170 classes from the jar
 * before parsing its command line: 0.25-0.3 s of a 0.75-1 s start. Rewritten, they come linked from
 * the cache like every other class (docs/performance.md, "Ninth pass").
 *
 * <p>Deterministic (the image's digest depends on it): entries keep their order and times. A jar
 * with no class older than Java 6 is left as it is, so running it twice changes nothing.
 */
public final class LinkableClassFiles {
    /** What the JVM's class-data sharing calls an old class: one older than Java 6. */
    private static final int OLDEST_ARCHIVABLE = ClassFile.JAVA_6_VERSION;

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: java LinkableClassFiles.java JAR");
            System.exit(2);
        }
        Path jarPath = Path.of(args[0]);
        List<Entry> entries = new ArrayList<>();
        int rewritten = 0;
        try (URLClassLoader jarClasses = new URLClassLoader(new URL[]{jarPath.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
             JarFile jar = new JarFile(jarPath.toFile())) {
            // A frame names the common supertype of the types that meet at a branch: the JDK's, or the jar's own.
            ClassFile classFiles = ClassFile.of(
                    ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.defaultResolver()
                            .orElse(ClassHierarchyResolver.ofResourceParsing(jarClasses))),
                    ClassFile.StackMapsOption.GENERATE_STACK_MAPS);
            for (JarEntry entry : Collections.list(jar.entries())) {
                byte[] bytes;
                try (var in = jar.getInputStream(entry)) {
                    bytes = in.readAllBytes();
                }
                if (isOldClass(entry, bytes)) {
                    bytes = rewrite(classFiles, classFiles.parse(bytes));
                    rewritten++;
                }
                entries.add(new Entry(entry.getName(), entry.getTime(), bytes));
            }
        }
        if (rewritten == 0) {
            System.out.println("[linkable-class-files] " + jarPath.getFileName() + ": no class older than Java 6");
            return;
        }
        Path temporary = Files.createTempFile(jarPath.toAbsolutePath().getParent(), jarPath.getFileName().toString(), ".tmp");
        try (OutputStream file = Files.newOutputStream(temporary); JarOutputStream out = new JarOutputStream(file)) {
            for (Entry e : entries) {
                JarEntry copy = new JarEntry(e.name());
                copy.setTime(e.time());
                out.putNextEntry(copy);
                out.write(e.bytes());
                out.closeEntry();
            }
        }
        try {
            // A temporary file is its owner's alone; the jar keeps the permissions it had.
            Files.setPosixFilePermissions(temporary, Files.getPosixFilePermissions(jarPath));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: nothing to keep.
        }
        Files.move(temporary, jarPath, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.println("[linkable-class-files] " + jarPath.getFileName() + ": " + rewritten + " classes rewritten as Java 8 class files");
    }

    private record Entry(String name, long time, byte[] bytes) {
    }

    /** A class file (not a multi-release or module entry) older than Java 6. */
    private static boolean isOldClass(JarEntry entry, byte[] bytes) {
        if (!entry.getName().endsWith(".class") || entry.getName().startsWith("META-INF/") || bytes.length < 8) {
            return false;
        }
        int major = ((bytes[6] & 0xff) << 8) | (bytes[7] & 0xff);
        return major < OLDEST_ARCHIVABLE;
    }

    /** Every method's code is rebuilt (so its frames are generated) and the version set to Java 8's. */
    private static byte[] rewrite(ClassFile classFiles, ClassModel model) {
        ClassTransform newVersion = (builder, element) -> {
            if (element instanceof ClassFileVersion) {
                builder.withVersion(ClassFile.JAVA_8_VERSION, 0);
            } else {
                builder.with(element);
            }
        };
        return classFiles.transformClass(model, ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL).andThen(newVersion));
    }
}
