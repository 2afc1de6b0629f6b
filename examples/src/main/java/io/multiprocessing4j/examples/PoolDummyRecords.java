package io.multiprocessing4j.examples;

import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.pool.AsyncResult;
import io.multiprocessing4j.pool.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The walkthrough's dummy data set: {@code apply_async} of a record generator, N times, then every
 * result collected into a table. Faker is replaced by a small generator of our own; the original's
 * million records become a hundred thousand, so that the walkthrough stays quick (the rate is
 * printed: a million takes ten times as long). The original's
 * {@code results(pool.apply_async(...))} is meant as {@code results.append(...)}.
 */
public final class PoolDummyRecords {
    static final int N = 100_000;

    private static final String[] FIRST = {"Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald", "Frances", "Ken"};
    private static final String[] LAST = {"Lovelace", "Turing", "Hopper", "Dijkstra", "Liskov", "Knuth", "Allen",
        "Thompson"};
    private static final String[] CITIES = {"Lake Tinaview", "North Jamesmouth", "Port Danielle", "East Karenberg",
        "South Adamfurt", "West Lindsay"};
    private static final String[] JOBS = {"Engineer, maintenance", "Librarian", "Geophysicist", "Pilot",
        "Chemist, analytical", "Translator"};

    private PoolDummyRecords() {
    }

    /** [name, city, plate, job], as Faker's name(), city(), license_plate(), job(). */
    static List<String> getADummyRecord() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String name = FIRST[random.nextInt(FIRST.length)] + " " + LAST[random.nextInt(LAST.length)];
        String city = CITIES[random.nextInt(CITIES.length)];
        String plate = String.format("%c%c%c-%04d", 'A' + random.nextInt(26), 'A' + random.nextInt(26),
                'A' + random.nextInt(26), random.nextInt(10_000));
        String job = JOBS[random.nextInt(JOBS.length)];
        return new ArrayList<>(List.of(name, city, plate, job));
    }

    public static void main(String[] args) throws Exception {
        int cpus = Multiprocessing.cpuCount();
        Pool pool = new Pool(Math.max(1, cpus - 1));
        long start = System.nanoTime();
        List<AsyncResult<List<String>>> results = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            results.add(pool.applyAsync(PoolDummyRecords::getADummyRecord));
        }
        pool.shutdown();
        pool.join();
        List<List<String>> data = new ArrayList<>();
        for (AsyncResult<List<String>> result : results) {
            data.add(result.get());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%d records in %.2f s (%.0f apply_async calls per second)%n", data.size(), seconds,
                data.size() / seconds);
        System.out.printf("   %-18s %-18s %-10s %s%n", "0", "1", "2", "3");
        for (int row = 0; row < 5; row++) {
            List<String> record = data.get(row);
            System.out.printf("%d  %-18s %-18s %-10s %s%n", row, record.get(0), record.get(1), record.get(2),
                    record.get(3));
        }
    }
}
