package io.dbwire.core.detect.policy;

/** A compiled group with the name the policy file gave it, so alerts can say which group matched. */
record Group<T>(String name, T value) {}
