// Lets a CPU-bound loop give way: BullMQ renews its job lock and other callbacks run between
// batches (setImmediate: after pending I/O, unlike a resolved promise).
export const yieldLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
