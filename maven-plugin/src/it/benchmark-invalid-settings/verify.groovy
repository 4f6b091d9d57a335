// Each bad setting fails before the (unreachable) dataset is touched and before a training JVM is forked.
def log = new File(basedir, 'build.log').text
assert log.contains('cnn.learningRate=-1: must be positive')
assert log.contains('cnn.device=tpu: must be cpu, gpu, auto')
assert log.contains('cnn.optimizer=adamw: must be adam, sgd')
assert log.contains("cnn.timeout must be a positive duration of at most a year, such as 90m, 2h, 600s or PT1H30M, got 'soon'")
assert log.contains('cnn.precision=fp16: must be float32 or bf16')
// A baseline the gate would refuse is refused before training, not after it.
assert log.contains('percent-baseline.csv:3:4')
assert log.contains('cnn.baseline is read before training')
assert !log.contains('never-downloaded')
assert !log.contains('training JVM started')
return true
