/**
 * The article's five ways to run a workload, one file each, over one seam: a {@link
 * dev.yieldloop.demo.strategy.Strategy} runs a {@link dev.yieldloop.demo.strategy.Workload} in the form it is made
 * for, and the workload records every item's outcome.
 *
 * <table>
 *   <caption>Which strategy uses which form of the workload</caption>
 *   <tr><th>strategy</th><th>form</th><th>the article's counterpart</th></tr>
 *   <tr><td>{@code sequential}</td><td>blocking, one session</td><td>a plain loop</td></tr>
 *   <tr><td>{@code threads}</td><td>blocking, a session per thread</td><td>{@code ThreadPoolExecutor}</td></tr>
 *   <tr><td>{@code virtual-threads}</td><td>blocking, a session per item</td><td>(none: JDK 21+)</td></tr>
 *   <tr><td>{@code event-loop}</td><td>task</td><td>{@code asyncio.gather} under {@code asyncio.run}</td></tr>
 *   <tr><td>{@code process-pool}</td><td>process job</td><td>{@code multiprocessing.Pool.map}</td></tr>
 * </table>
 *
 * <p>The workloads are {@code dev.yieldloop.demo.io.Downloads} and {@code dev.yieldloop.demo.cpu.Sums}; {@link
 * dev.yieldloop.demo.strategy.ComparisonCommand} runs the chosen strategies over one of them and prints the table.
 */
package dev.yieldloop.demo.strategy;
