package io.github.jobmetrics.agent.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.function.Function;

/**
 * A job whose methods are named by their supertypes. With {@code records.steps=ShapesJob$Step#apply}: 6 records
 * (3 Trim, 2 Upper of which 1 throws IllegalStateException, 1 Plugin from a class loader of its own). With
 * {@code records.checks=ShapesJob$Check#process}: 4 records (2 LengthCheck, 1 LoudCheck whose {@code super} call
 * is nested, 1 outermost {@code process(String,int)} that calls {@code process(String)} 3 times). With {@code
 * records.one=ShapesJob$Check#process(java.lang.String)}: 6. With {@code records.fn=java.util.function.Function#apply}:
 * 4 (Shout).
 */
public final class ShapesJob {
    // Not Plugin.class: that would load it in the job's own class loader too.
    private static final String PLUGIN = "io.github.jobmetrics.agent.jobs.ShapesJob$Plugin";

    private ShapesJob() {
    }

    public static void main(String[] args) throws Exception {
        Step[] steps = {new Trim(), new Trim(), new Trim(), new Upper(), new Upper(), plugin()};
        String[] rows = {" a ", "b ", " c", "d", "bad", "e"};
        for (int i = 0; i < steps.length; i++) {
            try {
                steps[i].apply(rows[i]);
            } catch (IllegalStateException expected) {
                // a record error
            }
        }
        Check length = new LengthCheck();
        length.process("a");
        length.process("bb");
        new LoudCheck().process("b");
        length.process("c", 3);
        Function<String, String> shout = new Shout();
        for (int i = 0; i < 4; i++) {
            shout.apply("x" + i);
        }
        System.out.println("shapes done");
    }

    /** A Step loaded by a class loader of its own, child of the job's. */
    private static Step plugin() throws Exception {
        ClassLoader own = new PluginLoader(ShapesJob.class.getClassLoader());
        return (Step) own.loadClass(PLUGIN).getDeclaredConstructor().newInstance();
    }

    /** An interface of the job. */
    public interface Step {
        String apply(String row);
    }

    public static final class Trim implements Step {
        @Override
        public String apply(String row) {
            return row.strip();
        }
    }

    public static final class Upper implements Step {
        @Override
        public String apply(String row) {
            if (row.equals("bad")) {
                throw new IllegalStateException("bad row");
            }
            return row.toUpperCase(Locale.ROOT);
        }
    }

    public static final class Plugin implements Step {
        @Override
        public String apply(String row) {
            return row + "!";
        }
    }

    /** An abstract class declaring the method, with an overload that calls it. */
    public abstract static class Check {
        public abstract void process(String file);

        public void process(String file, int times) {
            for (int i = 0; i < times; i++) {
                process(file);
            }
        }
    }

    public static class LengthCheck extends Check {
        int total;

        @Override
        public void process(String file) {
            total += file.length();
        }
    }

    public static final class LoudCheck extends LengthCheck {
        @Override
        public void process(String file) {
            super.process(file.toUpperCase(Locale.ROOT));
        }
    }

    /** A JDK interface implemented in the job. */
    public static final class Shout implements Function<String, String> {
        @Override
        public String apply(String s) {
            return s.toUpperCase(Locale.ROOT);
        }
    }

    /** Defines Plugin itself (child first) and leaves every other class to its parent. */
    private static final class PluginLoader extends ClassLoader {
        PluginLoader(ClassLoader parent) {
            super(parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.equals(PLUGIN)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c != null) {
                    return c;
                }
                try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                    byte[] bytes = in.readAllBytes();
                    return defineClass(name, bytes, 0, bytes.length);
                } catch (IOException e) {
                    throw new ClassNotFoundException(name, e);
                }
            }
        }
    }
}
