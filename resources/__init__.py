# Plain files found with importlib.resources (installed as the package pinviewer.resources).
