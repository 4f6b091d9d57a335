// cnn.precision=bf16 trains in bf16 exactly where the CPU has AMX, and says which it did in every place a reader or
// the gate looks: the log, environment.properties and results.csv's protocol.
def out = new File(basedir, 'target/cnn')
def log = new File(basedir, 'build.log').text
def cpuinfo = new File('/proc/cpuinfo')
def flagsLine = cpuinfo.isFile() ? cpuinfo.readLines().find { it.startsWith('flags') } : null
def amx = flagsLine != null && (flagsLine.split(':', 2)[1].trim().split(/\s+/) as List).contains('amx_bf16')
def env = new Properties()
new File(out, 'environment.properties').withInputStream { env.load(it) }
def results = new File(out, 'results.csv').readLines()
def header = results[0].split(',') as List
assert results.size() == 2 : results
// The protocol is the last column and the only quoted one (its pairs are comma-separated); an ok row's message is
// empty, so the cells before it split plainly.
def line = results[1]
def quote = line.indexOf('"')
def cells = line.substring(0, quote).split(',', -1) as List
def row = [header.subList(0, cells.size() - 1), cells.subList(0, cells.size() - 1)].transpose().collectEntries { it }
row.protocol = line.substring(quote)
assert header.last() == 'protocol'
assert row.status == 'ok' : "resnext-seed failed: ${line}"
if (amx) {
    assert log.contains('cnn.precision=bf16: this CPU has AMX (amx_bf16)')
    assert log.contains('bf16 convolutions, native memory from')
    assert env.getProperty('engine.precision') == 'bf16'
    assert row.protocol.contains('precision=bf16') : row.protocol
    // The ONNX file is float32, the engine's logits bf16: compared with bf16's tolerance, and agreeing.
    assert log.contains("carry bfloat16 rounding")
    assert (row.onnx_top1_agreement as double) >= 0.99 : row
} else {
    assert log.contains('cnn.precision=bf16 needs a CPU with AMX (amx_bf16)')
    assert log.contains('training in float32')
    assert env.getProperty('engine.precision') == 'float32'
    assert !row.protocol.contains('precision') : row.protocol
}
return true
