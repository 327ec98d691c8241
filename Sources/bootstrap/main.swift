print("bootstrap: not built yet")
