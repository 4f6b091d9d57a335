// cnn.device=gpu with the bundled CPU natives fails before anything is resolved, read or forked, and names the
// artifact that is missing and how to get it; an unknown cnn.natives lists the valid ones.
def log = new File(basedir, 'build.log').text
assert log.contains('cnn.device=gpu, but the natives are the bundled CPU-only ai.djl.pytorch:pytorch-native-cpu:2.7.1:linux-x86_64')
assert log.contains('Missing: the CUDA natives ai.djl.pytorch:pytorch-native-cu124:2.5.1:linux-x86_64')
assert log.contains('Add -Dcnn.natives=cu124: Maven then resolves ai.djl.pytorch:pytorch-native-cu124:2.5.1:linux-x86_64 (2.5 GB')
assert log.contains('mvn dependency:get -Dartifact=ai.djl.pytorch:pytorch-native-cu124:2.5.1:jar:linux-x86_64')
assert log.contains("cnn.natives must be auto or one of cpu (")
assert log.contains("got 'cu128'")
// Several devices on the CPU natives: refused before anything is resolved or forked, saying what to do.
assert log.contains('cnn.devices=2 trains one JVM per GPU, but this run trains on the cpu (cnn.device); one JVM already uses every CPU core')
// One named GPU is checked as several are, not left to a single JVM that would train on whatever it finds.
assert log.contains('cnn.devices=1, names GPU 1, but this run trains on the cpu (cnn.device); leave cnn.devices at 1')
// cnn.device=gpu alone picks the CUDA natives, then fails on the missing driver before resolving the 2.5 GB jar.
assert log.contains('cnn.natives=auto: the CUDA natives cu124 (libtorch 2.5.1 built for CUDA 12.4 (DJL 0.33.0)), because cnn.device=gpu')
assert log.contains('cnn.device=gpu, but no NVIDIA driver is installed here (libcuda.so.1 is not in')
assert !log.contains('cnn.natives=cu124: resolving')
assert !log.contains('never-downloaded')
assert !log.contains('training JVM started')
return true
