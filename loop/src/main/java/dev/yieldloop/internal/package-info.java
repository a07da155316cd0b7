/**
 * What the module's own packages share and users must not depend on: the channel registration that {@code
 * dev.yieldloop.net} and {@code dev.yieldloop.process} build on ({@link dev.yieldloop.internal.IoRegistration}, {@link
 * dev.yieldloop.internal.IoHandler}, reached through {@link dev.yieldloop.internal.LoopInternals}), and the loop thread
 * guard ({@link dev.yieldloop.internal.LoopThread}) that loop-confined objects hold instead of the loop.
 *
 * <p>{@code module-info} does not export this package, and a test asserts it; its public types are public only so the
 * module's other packages can reach them.
 *
 * <p>Threading: registrations are loop thread only; {@code LoopThread} states its own rules.
 */
package dev.yieldloop.internal;
