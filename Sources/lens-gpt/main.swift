import LensGPT

LensGPTCommand.runMain()
