package io.cnnbench.maven;

import java.lang.reflect.Field;
import org.apache.maven.plugin.MojoExecutionException;

/** Reads a mojo's parameter field by name, so that the settings table, not hand-written code, maps them. */
final class MojoFields {
    private MojoFields() {
    }

    /** The value of the field {@code name} declared by the mojo's class or a superclass. */
    static Object read(Object mojo, String name) throws MojoExecutionException {
        for (Class<?> c = mojo.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(mojo);
            } catch (NoSuchFieldException e) {
                // look in the superclass
            } catch (IllegalAccessException e) {
                throw new MojoExecutionException("cannot read parameter " + name, e);
            }
        }
        throw new MojoExecutionException(mojo.getClass().getSimpleName() + " has no parameter '" + name
                + "' for a setting of the table (io.cnnbench.core.bench.Settings)");
    }
}
