package io.dbwire.core.protocol.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * For tests of objects a parser reuses instead of allocating (a spare exchange, in-flight entry or run): every
 * instance field of a class and its superclasses, found by reflection so that a field added later is covered, can
 * be set to a value other than its default and compared with a new instance's.
 */
public final class ReusedFields {
    private ReusedFields() {
    }

    /** Instance fields of the class and its superclasses, except those named in {@code except}. */
    public static List<Field> of(Class<?> type, Set<String> except) {
        List<Field> out = new ArrayList<>();
        for (Class<?> c = type; c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers()) && !f.isSynthetic() && !except.contains(f.getName())) {
                    f.setAccessible(true);
                    out.add(f);
                }
            }
        }
        assertThat(out).isNotEmpty();
        return out;
    }

    /** Sets every field of {@code target} to a value other than its default. */
    public static void dirtyAll(List<Field> fields, Object target) throws Exception {
        for (Field f : fields) {
            dirty(f, target);
        }
    }

    /** Each field of {@code used} must equal the same field of {@code fresh} (arrays by content). */
    public static void assertAllAsNew(List<Field> fields, Object used, Object fresh) throws IllegalAccessException {
        for (Field f : fields) {
            Object a = f.get(used);
            Object b = f.get(fresh);
            boolean equal = a != null && a.getClass().isArray() ? Objects.deepEquals(a, b) : Objects.equals(a, b);
            assertThat(equal).as(f.getDeclaringClass().getSimpleName() + "." + f.getName() + " after reuse: " + a
                    + ", new: " + b).isTrue();
        }
    }

    private static void dirty(Field f, Object target) throws Exception {
        Class<?> t = f.getType();
        Object v;
        if (t == boolean.class) {
            v = !f.getBoolean(target);
        } else if (t == int.class) {
            v = f.getInt(target) + 7;
        } else if (t == long.class) {
            v = f.getLong(target) + 7L;
        } else if (t == String.class) {
            v = "dirty";
        } else if (t == Long.class) {
            v = 77L;
        } else if (t == List.class) {
            v = new ArrayList<>(List.of("dirty"));
        } else if (t.isEnum()) {
            Object[] constants = t.getEnumConstants();
            v = constants[0].equals(f.get(target)) ? constants[constants.length - 1] : constants[0];
        } else if (t.isArray()) {
            v = Array.newInstance(t.getComponentType(), 3);
        } else {
            v = anyInstance(t);
        }
        f.set(target, v);
        assertThat(f.get(target)).as(f.getName()).isNotEqualTo(defaultOf(t));
    }

    private static Object defaultOf(Class<?> t) {
        if (t == boolean.class) {
            return false;
        }
        if (t == int.class) {
            return 0;
        }
        if (t == long.class) {
            return 0L;
        }
        return null;
    }

    /** Any object of the type, from its first constructor with zero/null arguments. */
    private static Object anyInstance(Class<?> t) throws Exception {
        Constructor<?> c = t.getDeclaredConstructors()[0];
        c.setAccessible(true);
        Object[] args = new Object[c.getParameterCount()];
        Class<?>[] types = c.getParameterTypes();
        for (int i = 0; i < args.length; i++) {
            args[i] = types[i].isPrimitive() ? (types[i] == boolean.class ? (Object) false
                    : types[i] == long.class ? (Object) 0L : types[i] == int.class ? (Object) 0 : null) : null;
        }
        return c.newInstance(args);
    }
}
