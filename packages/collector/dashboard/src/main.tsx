import { render } from 'preact';
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { Root } from './app.tsx';

const root = document.getElementById('app');
if (root) render(<Root />, root);
