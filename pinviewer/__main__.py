import sys

from pinviewer.app import main

sys.exit(main())
