print("rtp2mp3-bench: not built yet")
