package io.cnnbench.maven;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.logging.Log;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;
import org.eclipse.aether.resolution.ArtifactResult;

/**
 * The training JVM's class path and system properties for a natives flavour ({@code cnn.natives}): the plugin's
 * own artifacts, with the flavour's DJL line, resolved by Maven from the user's repositories, in their place.
 */
final class NativesClasspath {
    /** What the fork is started with. */
    record Prepared(List<String> classpath, Map<String, String> props) {
    }

    private NativesClasspath() {
    }

    static Prepared prepare(Natives flavour, List<Artifact> pluginArtifacts, RepositorySystem system,
                            RepositorySystemSession session, List<RemoteRepository> repositories, boolean withDriver,
                            Log log) throws MojoExecutionException {
        Map<String, String> bundled = new java.util.LinkedHashMap<>();
        for (Artifact a : pluginArtifacts) {
            bundled.put(a.getGroupId() + ":" + a.getArtifactId(), a.getFile().getAbsolutePath());
        }
        Map<String, String> props = Map.of();
        List<String> classpath;
        if (flavour.bundled()) {
            classpath = flavour.classpath(bundled, List.of());
            log.info("cnn.natives=cpu: " + flavour.description());
        } else {
            List<String> resolved = resolve(flavour, system, session, repositories, log);
            classpath = flavour.classpath(bundled, resolved);
            String jar = resolved.get(flavour.artifacts().indexOf(flavour.nativesJar()));
            CudaNatives.Prepared prepared = CudaNatives.prepare(Path.of(jar), CudaNatives.djlPytorchCache(),
                    withDriver, log);
            props = prepared.props();
            log.info("cnn.natives=" + flavour.id() + ": " + flavour.description() + ", CUDA build "
                    + prepared.flavour() + " of libtorch " + prepared.version() + " from " + flavour.nativesJar()
                    + " (" + jar + "), in place of the bundled " + Natives.BUNDLED_NATIVES + "; libraries in "
                    + prepared.libraryDir() + (withDriver ? "" : " (no NVIDIA driver here: without "
                    + CudaNatives.NEEDS_DRIVER + ", which needs " + CudaNatives.DRIVER_LIBRARY + ")"));
        }
        return new Prepared(classpath, props);
    }

    /** The flavour's artifacts, resolved by Maven from the plugin repositories into the local repository. */
    private static List<String> resolve(Natives flavour, RepositorySystem system, RepositorySystemSession session,
                                        List<RemoteRepository> repositories, Log log) throws MojoExecutionException {
        List<ArtifactRequest> requests = new ArrayList<>();
        for (Natives.Coordinates c : flavour.artifacts()) {
            requests.add(new ArtifactRequest(new DefaultArtifact(c.groupId(), c.artifactId(), c.classifier(), "jar",
                    c.version()), repositories, "cnn.natives"));
        }
        log.info("cnn.natives=" + flavour.id() + ": resolving " + flavour.artifacts() + " (the natives jar is "
                + flavour.nativesSize() + "; downloaded once into the local repository if not there yet)");
        long t0 = System.nanoTime();
        try {
            List<ArtifactResult> results = system.resolveArtifacts(session, requests);
            List<String> files = new ArrayList<>();
            for (ArtifactResult r : results) {
                files.add(r.getArtifact().getFile().getAbsolutePath());
            }
            log.info(String.format(Locale.ROOT, "cnn.natives=%s: resolved in %.1f s", flavour.id(),
                    (System.nanoTime() - t0) / 1e9));
            return files;
        } catch (ArtifactResolutionException e) {
            throw new MojoExecutionException("cnn.natives=" + flavour.id() + ": Maven could not resolve "
                    + flavour.artifacts() + " from " + repositories.stream().map(RemoteRepository::getUrl)
                    .toList() + ": " + e.getMessage() + ". Pre-fetch the natives with mvn dependency:get"
                    + " -Dartifact=" + flavour.nativesJar().groupId() + ":" + flavour.nativesJar().artifactId() + ":"
                    + flavour.nativesJar().version() + ":jar:" + flavour.nativesJar().classifier(), e);
        }
    }
}
