"""The lecture's demos and each page's setups, built on lib.engine. No Streamlit."""
