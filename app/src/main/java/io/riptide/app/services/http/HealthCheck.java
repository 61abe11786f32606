package io.riptide.app.services.http;

import java.util.List;
import java.util.function.Supplier;

/**
 * One named component of a service's health: {@code /health/ready} and {@code /health/live} answer with every
 * check's state, and 503 when any is down.
 */
public interface HealthCheck {

    /** The outcome of one check: up or not, and one line saying what was seen. */
    record Result(boolean up, String detail) {
        public static Result up(String detail) {
            return new Result(true, detail);
        }

        public static Result down(String detail) {
            return new Result(false, detail);
        }
    }

    String name();

    /** Runs the check; an exception counts as down with its message. */
    Result check();

    /** The checks this one stands for, reported one by one (a group whose members are known only when asked). */
    default List<HealthCheck> expand() {
        return List.of(this);
    }

    static HealthCheck of(String name, Supplier<Result> check) {
        return new HealthCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Result check() {
                return check.get();
            }
        };
    }
}
