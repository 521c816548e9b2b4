import LensGPT

LensGPTCommand.main()
