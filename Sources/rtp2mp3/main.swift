print("rtp2mp3: not built yet")
