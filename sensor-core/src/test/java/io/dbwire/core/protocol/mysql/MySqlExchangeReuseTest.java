package io.dbwire.core.protocol.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbwire.core.protocol.mysql.Exchange.Expect;
import io.dbwire.core.record.StatementInfo;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * A reused exchange (MySqlCommandPhase keeps the last finished one as a spare) must be indistinguishable from a
 * new one: every field of Exchange, MySqlRun and RequestRun — including fields added later — is set to a
 * non-default value, then {@link Exchange#reuse} must bring each back to what the constructor gives.
 */
class MySqlExchangeReuseTest {
    private static final StatementInfo NEXT = new StatementInfo("SELECT ?", "select ?", "SELECT");

    @Test
    void reuseResetsEveryFieldOfTheExchangeAndItsRun() throws Exception {
        Exchange used = new Exchange(MySqlWire.COM_QUERY, List.of(new MySqlRun(new StatementInfo("a", "a", "A"))),
                Expect.AUTH);
        for (Field f : fields(Exchange.class)) {
            dirty(f, used);
        }
        MySqlRun usedRun = used.runs.get(0);
        for (Field f : fields(MySqlRun.class)) {
            dirty(f, usedRun);
        }

        used.reuse(MySqlWire.COM_STMT_EXECUTE, NEXT, Expect.RESULT);

        Exchange fresh = new Exchange(MySqlWire.COM_STMT_EXECUTE, List.of(new MySqlRun(NEXT)), Expect.RESULT);
        assertThat(used.runs.get(0)).isSameAs(usedRun);
        for (Field f : fields(Exchange.class)) {
            assertSame(f, used, fresh);
        }
        for (Field f : fields(MySqlRun.class)) {
            assertSame(f, usedRun, fresh.runs.get(0));
        }
    }

    /** Instance fields of the class and its superclasses, except the exchange's final list of runs. */
    private static List<Field> fields(Class<?> type) {
        List<Field> out = new ArrayList<>();
        for (Class<?> c = type; c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers()) && !f.isSynthetic() && !f.getName().equals("runs")) {
                    f.setAccessible(true);
                    out.add(f);
                }
            }
        }
        assertThat(out).isNotEmpty();
        return out;
    }

    private static void assertSame(Field f, Object used, Object fresh) throws IllegalAccessException {
        Object a = f.get(used);
        Object b = f.get(fresh);
        boolean equal = a != null && a.getClass().isArray() ? Objects.deepEquals(a, b) : Objects.equals(a, b);
        assertThat(equal).as(f.getDeclaringClass().getSimpleName() + "." + f.getName() + " after reuse: " + a
                + ", new: " + b).isTrue();
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
