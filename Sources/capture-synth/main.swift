import TestSupport

print("capture-synth: not built yet")
