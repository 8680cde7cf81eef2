package dev.netspec.runtime.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Prepares batches off the training thread: a dispatcher queues batch jobs on {@code workers}
 * threads, at most {@code prefetch} ahead of the consumer, and hands them out in order.
 *
 * <p>What a batch holds depends only on the seed, the epoch and the batch's position: the epoch's
 * order is a permutation drawn from (seed, epoch) and each image's augmentation from (seed, epoch,
 * position), whatever the number of workers. So a run resumed at an epoch sees exactly the batches
 * an uninterrupted one would.
 */
public final class BatchLoader implements AutoCloseable {
  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final long ORDER = 0x4f52444552L;

  private final Dataset data;
  private final Transform transform;
  private final int batchSize;
  private final boolean shuffle;
  private final boolean dropLast;
  private final long seed;
  private final int prefetch;
  private final ExecutorService workers;

  /**
   * @param shuffle a new order each epoch; otherwise the dataset's order
   * @param dropLast leave out the last partial batch (training: BatchNorm dislikes tiny batches)
   */
  public BatchLoader(Dataset data, Transform transform, int batchSize, boolean shuffle,
      boolean dropLast, long seed, int workers, int prefetch) {
    this.data = Objects.requireNonNull(data, "data");
    this.transform = Objects.requireNonNull(transform, "transform");
    if (batchSize < 1 || workers < 1 || prefetch < 1) {
      throw new IllegalArgumentException("batch size, workers and prefetch must be at least 1, got "
          + batchSize + ", " + workers + ", " + prefetch);
    }
    if (dropLast && data.size() < batchSize) {
      throw new IllegalArgumentException(data.describe() + " has fewer images (" + data.size()
          + ") than one batch (" + batchSize + "); use a smaller batch size");
    }
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.seed = seed;
    this.prefetch = prefetch;
    ThreadFactory daemons = r -> {
      Thread t = new Thread(r, "netspec-data-" + THREADS.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    this.workers = Executors.newFixedThreadPool(workers, daemons);
  }

  /** Batches per epoch. */
  public int batches() {
    return dropLast ? data.size() / batchSize : (data.size() + batchSize - 1) / batchSize;
  }

  public Dataset data() {
    return data;
  }

  /**
   * The batches of {@code epoch}, starting at batch {@code first}; close the stream when leaving
   * early.
   */
  public Epoch epoch(int epoch, int first) {
    int[] order = shuffle
        ? Shuffle.permutation(data.size(), Shuffle.stream(seed, ORDER, epoch))
        : Shuffle.identity(data.size());
    return new Epoch(epoch, order, first);
  }

  /** The batches of {@code epoch} from the first. */
  public Epoch epoch(int epoch) {
    return epoch(epoch, 0);
  }

  private Batch build(int epoch, int[] order, int index) {
    int start = index * batchSize;
    int count = Math.min(batchSize, order.length - start);
    int c = data.channels();
    int size = transform.outputSize(c);
    float[] images = new float[count * size];
    int[] labels = new int[count];
    for (int i = 0; i < count; i++) {
      int item = order[start + i];
      SplittableRandom random = Shuffle.stream(seed, epoch, start + i);
      transform.apply(data.image(item), random, images, i * size);
      labels[i] = data.label(item);
    }
    return new Batch(index, count, transform.height(), transform.width(), c, images, labels);
  }

  @Override
  public void close() {
    workers.shutdownNow();
  }

  /** One epoch's batches, in order, prepared ahead in the background. */
  public final class Epoch implements Iterator<Batch>, AutoCloseable {
    private final BlockingQueue<Future<Batch>> ready = new ArrayBlockingQueue<>(prefetch);
    private final Thread dispatcher;
    private final int total;
    private int next;

    private Epoch(int epoch, int[] order, int first) {
      this.total = batches();
      if (first < 0 || first > total) {
        throw new IllegalArgumentException("batch " + first + " is outside the epoch's " + total);
      }
      this.next = first;
      dispatcher = new Thread(() -> {
        try {
          for (int b = first; b < total; b++) {
            int index = b;
            ready.put(workers.submit(() -> build(epoch, order, index)));
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (java.util.concurrent.RejectedExecutionException e) {
          // the loader was closed
        }
      }, "netspec-batches-" + THREADS.incrementAndGet());
      dispatcher.setDaemon(true);
      dispatcher.start();
    }

    @Override
    public boolean hasNext() {
      return next < total;
    }

    /**
     * The next batch, waiting for it if needed.
     *
     * @throws IllegalArgumentException what reading an image threw (a bad file, named)
     */
    @Override
    public Batch next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      try {
        Batch batch = ready.take().get();
        next++;
        return batch;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for a batch", e);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException r) {
          throw r;
        }
        if (cause instanceof Error err) {
          throw err;
        }
        throw new IllegalStateException("preparing a batch failed: " + cause, cause);
      }
    }

    @Override
    public void close() {
      dispatcher.interrupt();
      Future<Batch> pending;
      while ((pending = ready.poll()) != null) {
        pending.cancel(true);
      }
      try {
        dispatcher.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      while ((pending = ready.poll()) != null) {
        pending.cancel(true);
      }
    }
  }
}
