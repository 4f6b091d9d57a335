package io.cnnbench.core.train;

import ai.djl.Device;
import io.cnnbench.cifar.ImageSet;
import io.cnnbench.core.djl.Network;
import io.cnnbench.reports.EpochRecord;
import io.cnnbench.reports.RunFiles;
import java.nio.file.Path;
import java.util.List;

/**
 * The child process of {@link KillAndResumeTest}: trains the tiny network for 3 epochs, writing
 * history.csv after each epoch, until it is killed. Args: directory, resume (true/false).
 */
public final class KilledTrainingMain {
    static final ImageSet TRAIN = SyntheticImages.make(6000, 3);
    static final ImageSet VAL = SyntheticImages.make(200, 4);

    private KilledTrainingMain() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        System.out.println(run(dir, Boolean.parseBoolean(args[1])));
    }

    static List<EpochRecord> run(Path dir, boolean resume) {
        try (Network net = Network.create(SyntheticImages.tinyNetwork(), 7, Device.cpu())) {
            return new Trainer(net, TrainerTest.config(3), dir.resolve("checkpoints"), new TrainingListener() {
                @Override
                public void onEpochEnd(EpochRecord e, List<EpochRecord> history) {
                    RunFiles.writeHistory(dir.resolve(RunFiles.HISTORY), history);
                }
            }).fit(TRAIN, VAL, resume).history();
        }
    }
}
