package io.cnnbench.core.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShardTest {
    @Test
    void theShardsSplitThePairsDeterministicallyAndTogetherCoverThemOnce() {
        List<String> archs = List.of("a", "b", "c");
        List<Long> seeds = List.of(42L, 43L);
        List<RunLedger.Entry> union = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            List<RunLedger.Entry> part = new RunLedger("r", archs, seeds, new Shard(i, 4)).entries();
            assertEquals(part, new RunLedger("other-run", archs, seeds, Shard.parse(i + "/4")).entries(),
                    "every job computes the same split");
            union.addAll(part);
        }
        assertEquals(6, union.size());
        assertEquals(new RunLedger("r", archs, seeds).entries().stream().sorted(
                java.util.Comparator.comparing(RunLedger.Entry::toString)).toList(),
                union.stream().sorted(java.util.Comparator.comparing(RunLedger.Entry::toString)).toList());
        assertEquals(List.of(new RunLedger.Entry("a", 42), new RunLedger.Entry("c", 42)),
                new RunLedger("r", archs, seeds, new Shard(1, 4)).entries(), "round robin over the ordered pairs");
        assertEquals("2/4", new RunLedger("r", archs, seeds, new Shard(2, 4)).failure(
                new RunLedger.Entry("a", 43), "x").get(io.cnnbench.reports.ResultColumn.SHARD));
    }

    @Test
    void thePartsOfAShardCoverExactlyThatShardOnce() {
        List<String> archs = List.of("a", "b", "c", "d", "e");
        List<Long> seeds = List.of(42L, 43L, 44L);
        for (int count = 1; count <= 4; count++) {
            for (int index = 1; index <= count; index++) {
                Shard shard = new Shard(index, count);
                List<RunLedger.Entry> whole = new RunLedger("r", archs, seeds, shard).entries();
                for (int parts = 1; parts <= 5; parts++) {
                    List<RunLedger.Entry> union = new ArrayList<>();
                    for (int p = 1; p <= parts; p++) {
                        List<RunLedger.Entry> part = new RunLedger("r", archs, seeds, shard.part(p, parts)).entries();
                        // Round-robin inside the shard: the p-th, (p + parts)-th, ... of its pairs.
                        List<RunLedger.Entry> expected = new ArrayList<>();
                        for (int j = p - 1; j < whole.size(); j += parts) {
                            expected.add(whole.get(j));
                        }
                        assertEquals(expected, part, shard + " part " + p + "/" + parts);
                        union.addAll(part);
                    }
                    assertEquals(whole.size(), union.size(), "no pair twice");
                    assertEquals(new java.util.HashSet<>(whole), new java.util.HashSet<>(union), "no pair lost");
                }
            }
        }
        assertEquals(new Shard(2, 4), Shard.ALL.part(2, 4));
        assertEquals(new Shard(5, 6), new Shard(2, 3).part(2, 2), "2/3 has positions 1, 4, 7, 10...; its second"
                + " part 4, 10, 16...");
        assertThrows(IllegalArgumentException.class, () -> Shard.ALL.part(3, 2));
    }

    @Test
    void badShardsAreRefused() {
        for (String bad : new String[] {"0/2", "3/2", "1", "a/b", "1/0"}) {
            assertThrows(IllegalArgumentException.class, () -> Shard.parse(bad), bad);
        }
        assertEquals("cnn.shard=3/2: must be i/n with 1 <= i <= n, e.g. 2/4", assertThrows(
                IllegalArgumentException.class, () -> new BenchmarkConfig().set(Settings.SHARD, "3/2")).getMessage());
    }
}
